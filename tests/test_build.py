"""Index builder (indexer.build.build): incremental correctness and failures.

Every test builds real indexes from copies of the seed reports in tmp_path; "equal" always means the same
multiset of stored Whoosh documents as a from-scratch build of the same corpus.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_helpers import SEEDS, add, delete, fresh_docs, make_corpus, modify, rename, stored_docs
from indexer.build import BuildError, build
from indexer.cli import main
from indexer.readers import ReadError, read_file
from search.schema import open_index


# (change, workers, expected (added, updated, removed, unchanged))
CHANGES = [
    ("modify", [modify], 1, (0, 1, 0, 4)),
    ("add", [add], 1, (1, 0, 0, 5)),
    ("delete", [delete], 1, (0, 0, 1, 4)),
    ("rename", [rename], 1, (1, 0, 1, 4)),
    ("all", [modify, add, delete, rename], 1, (2, 1, 2, 2)),
    ("all-2-workers", [modify, add, delete, rename], 2, (2, 1, 2, 2)),
]


@pytest.mark.parametrize("name,changes,workers,expected", CHANGES, ids=[c[0] for c in CHANGES])
def test_incremental_equals_rebuild(built, tmp_path, name, changes, workers, expected):
    corpus, index_dir = built
    for change in changes:
        change(corpus)
    summary = build(corpus, index_dir, workers=workers)
    assert expected == (summary.added, summary.updated, summary.removed, summary.unchanged)
    assert fresh_docs(corpus, tmp_path) == stored_docs(index_dir)


QUERIES = ["执法", "行政复议", "法治 -复议", "执法监督", "公安局", "警", "2021"]


def by_index(section: dict) -> int:
    return section["index"]


def search_view(index_dir: Path, q: str) -> dict:
    """What a user sees of a search, without scores (term statistics count deleted documents until a merge)."""
    from search.engine import Engine, SearchRequest

    engine = Engine(index_dir)
    try:
        result = engine.search(SearchRequest(q=q, limit=100)).to_dict()
    finally:
        engine.state().close()  # Engine has no close(): it lives as long as its process
    hits = {h["file"]: [(s["heading"], s["matches"], s["snippets"]) for s in sorted(h["sections"], key=by_index)]
            for h in result["hits"]}
    return {"total": result["total"], "hits": hits, "facets": result["facets"]}


def test_incremental_search_results_equal_rebuild(built, tmp_path):
    corpus, index_dir = built
    for change in (modify, add, delete, rename):
        change(corpus)
    build(corpus, index_dir, workers=2)
    fresh = tmp_path / "fresh"
    build(corpus, fresh, workers=1)
    assert [search_view(fresh, q) for q in QUERIES] == [search_view(index_dir, q) for q in QUERIES]


def test_no_op_build_parses_nothing(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    first = build(corpus, index_dir, workers=1)
    before = stored_docs(index_dir)
    again = build(corpus, index_dir, workers=1)
    assert (5, 5, "gen-000001", True) == (first.parsed, first.added, first.generation, first.changed)
    assert (0, 5, "gen-000001", False) == (again.parsed, again.unchanged, again.generation, again.changed)
    assert before == stored_docs(index_dir)


def test_rebuild_reindexes_everything(built):
    corpus, index_dir = built
    before = stored_docs(index_dir)
    summary = build(corpus, index_dir, workers=1, rebuild=True)
    assert (5, 5, 0, "gen-000002") == (summary.parsed, summary.added, summary.unchanged, summary.generation)
    assert before == stored_docs(index_dir)


BAD_FILES = [
    ("empty.txt", b""),
    ("blank.txt", b"  \n\n \t\n"),
    ("binary.txt", bytes(range(256)) * 8),
    ("fake.pdf", b"this is not a pdf"),
    ("fake.docx", b"PK\x03\x04 not really a zip"),
]


def test_bad_files_are_listed_and_the_rest_indexed(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    for name, data in BAD_FILES:
        (corpus / name).write_bytes(data)
    expected = []
    for name, _ in sorted(BAD_FILES):
        with pytest.raises(ReadError) as e:
            read_file(corpus / name)
        expected.append((name, e.value.reason))
    result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir), "--workers", "1"])
    summary = build(corpus, index_dir, workers=1)  # failures are retried on every build
    lines = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert 1 == result.exit_code
    assert [f"failed: {name}: {reason}" for name, reason in expected] == lines
    assert expected == sorted(summary.failed)
    assert 5 == summary.unchanged
    ix = open_index(index_dir)
    with ix.searcher() as s:
        assert sorted(p.name for p in SEEDS) == sorted({d["report_id"] for d in s.all_stored_fields()})
    ix.close()


def test_fixed_file_is_added_on_the_next_build(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    (corpus / "late.txt").write_bytes(b"")
    first = build(corpus, index_dir, workers=1)
    (corpus / "late.txt").write_bytes(SEEDS[4].read_bytes())
    second = build(corpus, index_dir, workers=1)
    assert ([("late.txt", "empty file")], 5) == (first.failed, first.added)
    assert ([], 1, 5) == (second.failed, second.added, second.unchanged)
    assert fresh_docs(corpus, tmp_path) == stored_docs(index_dir)


def test_build_error_leaves_the_index_unchanged(built):
    corpus, index_dir = built
    shutil.rmtree(corpus)
    with pytest.raises(BuildError):
        build(corpus, index_dir, workers=1)
    assert "gen-000001\n" == (index_dir / "CURRENT").read_text()
