"""What the index holds (indexer.build.stats), as ``reports-index stats --json`` prints it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from build_helpers import make_corpus
from indexer.build import build
from indexer.build import manifest as mf
from indexer.cli import main


def test_stats_json(tmp_path):
    from indexer.parse import parse_file
    from search.schema import FORMAT_VERSION, section_documents

    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    (corpus / "empty.txt").write_bytes(b"")
    build(corpus, index_dir, workers=1)
    reports = [parse_file(p, root=corpus).to_dict() for p in sorted(corpus.glob("0*.txt"))]
    result = CliRunner().invoke(main, ["stats", "--index-dir", str(index_dir), "--json"])
    data = json.loads(result.output)

    def counts(values, key=None):
        tally = {}
        for v in values:
            tally[v] = tally.get(v, 0) + 1
        order = sorted(tally, key=key or (lambda v: (v is None, -tally[v], str(v))))
        return [{"value": v, "count": tally[v]} for v in order]

    gen = index_dir / "gen-000001"
    expected = {
        "index_dir": str(index_dir),
        "generation": "gen-000001",
        "format_version": FORMAT_VERSION,
        "corpus": str(corpus.resolve()),
        "built_at": mf.load(gen).built_at,
        "reports": 5,
        "sections": sum(len(r["sections"]) for r in reports),
        "documents": sum(len(section_documents(r)) for r in reports),
        "size_bytes": sum(p.stat().st_size for p in gen.iterdir()),
        "per_year": counts((r["year"] for r in reports), key=lambda v: (v is None, v or 0)),
        "per_province": counts(r["province"] for r in reports),
        "per_city": counts(r["city"] for r in reports),
        "per_kind": counts(k for r in reports for k in {k for s in r["sections"] for k in s["kinds"]}),
        "failed": [{"file": "empty.txt", "reason": "empty file"}],
    }
    assert (0, expected) == (result.exit_code, data)
