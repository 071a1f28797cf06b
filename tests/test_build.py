"""Index builder (indexer.build.build): incremental correctness and failures.

Every test builds real indexes from copies of the seed reports in tmp_path; "equal" always means the same
multiset of stored Whoosh documents as a from-scratch build of the same corpus.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_helpers import SEEDS, add, delete, fresh_docs, make_corpus, modify, rename, stored_docs, stored_reports
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
        assert sorted(p.name for p in SEEDS) == sorted({d["report_id"] for f in stored_reports(s) for d in f})
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


# A first build that finds nothing it can index: (files, exit code, the build's last stderr line or None)
NOTHING_TO_INDEX = [
    ("empty-folder", [], 0, None),
    ("unsupported-only", [("notes.md", b"# notes"), ("report.wps", b"WPS")], 0, None),
    ("broken-only", [("fake.pdf", b"this is not a pdf"), ("empty.txt", b"")], 1,
     "error: none of the 2 files could be indexed (reasons above); the index is empty"),
]


@pytest.mark.parametrize("files, code, last_error", [c[1:] for c in NOTHING_TO_INDEX],
                         ids=[c[0] for c in NOTHING_TO_INDEX])
def test_a_first_build_of_nothing_indexable_makes_an_empty_index_and_the_next_build_works(tmp_path, files, code,
                                                                                       last_error):
    from search.engine import Engine, SearchRequest

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name, data in files:
        (corpus / name).write_bytes(data)
    first = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir), "--workers", "1"])
    errors = first.stderr.splitlines()
    assert (code, last_error, "Traceback" in first.stderr) == (first.exit_code, errors[-1] if errors else None, False)
    assert ["CURRENT", "build.lock", "gen-000001"] == sorted(p.name for p in index_dir.iterdir())
    assert 0 == Engine(index_dir).search(SearchRequest(q="执法")).total
    shutil.copy(SEEDS[0], corpus / SEEDS[0].name)
    second = build(corpus, index_dir, workers=1)
    assert (1, "gen-000002") == (second.added, second.generation)
    assert [SEEDS[0].name] == [h["file"] for h in Engine(index_dir).search(SearchRequest(q="执法")).hits]


def test_skipped_files_are_counted_by_type_and_listed_with_verbose(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    (corpus / "sub").mkdir()
    for name in ("a.wps", "sub/b.wps", "notes.md", "README"):
        (corpus / name).write_bytes("报告".encode())
    (corpus / ".hidden.wps").write_bytes(b"x")  # hidden files and editors' lock files pass silently
    (corpus / "~$lock.docx").write_bytes(b"x")
    args = ["build", str(corpus), "--index-dir", str(index_dir), "--workers", "1"]
    quiet = CliRunner().invoke(main, args + ["--rebuild"])
    verbose = CliRunner().invoke(main, args + ["--verbose"])
    as_json = CliRunner().invoke(main, args + ["--json"])
    read = "(read: .txt, .html, .htm, .docx, .pdf, .doc)"
    assert (0, "skipped: 2 .wps, 1 (no suffix), 1 .md (--verbose lists them)") == (
        quiet.exit_code, quiet.stdout.splitlines()[-1])
    assert "skipped: 2 .wps, 1 (no suffix), 1 .md" == verbose.stdout.splitlines()[-1]
    assert [f"skipped: README: unsupported file type (no suffix) {read}",
            f"skipped: a.wps: unsupported file type .wps {read}",
            f"skipped: notes.md: unsupported file type .md {read}",
            f"skipped: sub/b.wps: unsupported file type .wps {read}"] == verbose.stderr.splitlines()
    assert [{"file": "README", "reason": f"unsupported file type (no suffix) {read}"},
            {"file": "a.wps", "reason": f"unsupported file type .wps {read}"},
            {"file": "notes.md", "reason": f"unsupported file type .md {read}"},
            {"file": "sub/b.wps", "reason": f"unsupported file type .wps {read}"}] == json.loads(as_json.stdout)["skipped"]
