"""The build's manifest (indexer.build.manifest): which files are report files, change detection by size,
mtime and content, the code fingerprint that sends every file to the parser again, the format version."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_helpers import SEEDS, stored_docs
from indexer.build import build
from indexer.build import manifest as mf
from indexer.cli import main


def test_touched_file_is_hashed_not_parsed(built):
    corpus, index_dir = built
    path = corpus / SEEDS[0].name
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    touched = build(corpus, index_dir, workers=1)
    entry = mf.load(index_dir / touched.generation).files[SEEDS[0].name]
    assert (0, 5, path.stat().st_mtime_ns) == (touched.parsed, touched.unchanged, entry.mtime_ns)
    assert 0 == build(corpus, index_dir, workers=1).parsed


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.parametrize(
    "name,indexed",
    [
        ("a.txt", True),
        ("b.HTML", True),
        ("c.htm", True),
        ("d.docx", True),
        ("e.pdf", True),
        ("sub/dir/f.txt", True),
        ("g.doc", SOFFICE is not None),  # read through LibreOffice when it is installed
        ("h.md", False),
        (".hidden.txt", False),
        (".git/i.txt", False),
        ("~$j.docx", False),
        ("k", False),
        ("l.", False),
    ],
)
def test_discover_picks_report_files(tmp_path, name, indexed):
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_bytes(b"x")
    skipped = []
    found = list(mf.discover(tmp_path, skipped))
    assert ([name] if indexed else []) == [f.rid for f in found]
    assert [tmp_path / name] * indexed == [f.path for f in found]
    hidden = name.startswith((".", "~$"))
    assert ([] if indexed or hidden else [name]) == [rid for rid, _ in skipped]


def test_new_parser_code_reparses_every_file(built):
    corpus, index_dir = built
    path = index_dir / "gen-000001" / mf.MANIFEST
    before = stored_docs(index_dir)
    data = json.loads(path.read_bytes())
    data["code"] = "an older parser"
    path.write_text(json.dumps(data))
    summary = build(corpus, index_dir, workers=1)
    expected_note = "the parser or the analysis changed since the last build: indexing every file again"
    assert (5, 5, 0, [expected_note]) == (summary.parsed, summary.added, summary.unchanged, summary.notes)
    assert (before, mf.code_fingerprint()) == (stored_docs(index_dir), mf.load(index_dir / "gen-000002").code)
    assert 0 == build(corpus, index_dir, workers=1).parsed


def test_code_files_are_the_readers_the_parser_their_model_and_data_and_the_analysis():
    import indexer

    package = Path(indexer.__file__).parent
    names = list(mf.code_files())
    assert ["indexer", "indexer/data", "indexer/parse", "indexer/readers", "search", "search/data"] == sorted(
        {name.rsplit("/", 1)[0] for name in names})
    assert ["indexer/model.py"] == [name for name in names if name.startswith("indexer/") and name.count("/") == 1]
    assert ["search/analysis.py", "search/schema.py", "search/segmenter.py", "search/weakspans.py"] == [
        name for name in names if name.startswith("search/") and name.count("/") == 1]
    assert "search/data/userdict.txt" in names
    assert sorted(names) == names
    for folder in ("readers", "parse", "data"):
        assert {f"indexer/{folder}/{p.name}" for p in (package / folder).iterdir() if p.is_file()} <= set(names)


def test_code_files_count_any_new_file_but_not_byte_code_or_hidden_files(tmp_path, monkeypatch):
    """Packages laid out in tmp_path: a new module or data file counts without being listed anywhere."""
    import indexer
    import search

    files = ["indexer/__init__.py", "indexer/cli.py", "indexer/model.py", "indexer/build/manifest.py",
             "indexer/readers/__init__.py", "indexer/parse/new_stage.py", "indexer/parse/sub/words.json",
             "indexer/parse/__pycache__/new_stage.cpython-311.pyc", "indexer/readers/.html.py.swp",
             "indexer/data/pca-code.json", "search/__init__.py", "search/schema.py", "search/analysis.py",
             "search/engine.py"]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    monkeypatch.setattr(indexer, "__file__", str(tmp_path / "indexer" / "__init__.py"))
    monkeypatch.setattr(search, "__file__", str(tmp_path / "search" / "__init__.py"))
    assert {"indexer/data/pca-code.json": tmp_path / "indexer/data/pca-code.json",
            "indexer/model.py": tmp_path / "indexer/model.py",
            "indexer/parse/new_stage.py": tmp_path / "indexer/parse/new_stage.py",
            "indexer/parse/sub/words.json": tmp_path / "indexer/parse/sub/words.json",
            "indexer/readers/__init__.py": tmp_path / "indexer/readers/__init__.py",
            "search/analysis.py": tmp_path / "search/analysis.py",
            "search/schema.py": tmp_path / "search/schema.py"} == mf.code_files()


@pytest.mark.parametrize("marker", [mf.MANIFEST, "reports_format.json"])  # ours, and search.schema's
def test_incompatible_format_asks_for_rebuild(built, marker):
    corpus, index_dir = built
    path = index_dir / "gen-000001" / marker
    data = json.loads(path.read_bytes())
    data["format_version"] = -1
    path.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir)])
    assert (2, "gen-000001", True) == (result.exit_code, (index_dir / "CURRENT").read_text().strip(),
                                       "--rebuild" in result.stderr)
    rebuilt = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir), "--rebuild",
                                        "--workers", "1"])
    assert (0, "gen-000002") == (rebuilt.exit_code, (index_dir / "CURRENT").read_text().strip())
