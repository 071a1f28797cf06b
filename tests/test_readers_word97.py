"""The .doc reader (indexer.readers.word97) on Word 97–2003 files that LibreOffice itself made from the seeds,
and what a build does with .doc files with and without LibreOffice installed."""

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from office_helpers import SKIP, SOFFICE
from reader_helpers import SEEDS, nonempty, seed
from indexer.cli import main
from indexer.parse import parse_file
from indexer.readers import read_file
from indexer.readers.word97 import MISSING

needs_soffice = pytest.mark.skipif(SOFFICE is None, reason=SKIP)


def make_doc(n: int, folder: Path) -> Path:
    """Seed ``n`` saved as a Word 97 .doc by LibreOffice (its text import, UTF-8)."""
    source = folder / f"{SEEDS[n].stem}.txt"
    source.write_text(seed(n), encoding="utf-8")
    subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "doc:MS Word 97", "--outdir",
                    str(folder / "doc"), str(source)], check=True, capture_output=True, timeout=300)
    return folder / "doc" / f"{SEEDS[n].stem}.doc"


@pytest.fixture(scope="module")
def seed_doc(tmp_path_factory) -> Path:
    if SOFFICE is None:
        pytest.skip(SKIP)
    return make_doc(1, tmp_path_factory.mktemp("word97"))


@needs_soffice
def test_a_doc_reads_as_the_text_of_its_seed(seed_doc):
    doc = read_file(seed_doc)
    assert ("doc", [line.strip() for line in nonempty(seed(1))]) == (
        doc.format, [line.strip() for line in nonempty(doc.text)])


@needs_soffice
def test_a_doc_parses_like_its_seed(seed_doc):
    parsed, original = parse_file(seed_doc).to_dict(), parse_file(SEEDS[1]).to_dict()
    keys = ("agency", "province", "city", "county", "level", "year", "publish_date")
    assert ({k: original[k] for k in keys}, [(s["heading"], s["kinds"]) for s in original["sections"]]) == (
        {k: parsed[k] for k in keys}, [(s["heading"], s["kinds"]) for s in parsed["sections"]])


@needs_soffice
def test_a_build_indexes_a_doc(seed_doc, tmp_path):
    from search.engine import Engine, SearchRequest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.doc").write_bytes(seed_doc.read_bytes())
    result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(tmp_path / "index"), "--workers", "1"])
    hits = Engine(tmp_path / "index").search(SearchRequest(q="萧山")).hits
    assert (0, ["report.doc"]) == (result.exit_code, [h["file"] for h in hits])


def test_without_libreoffice_a_doc_is_skipped_with_how_to_enable_it(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.doc").write_bytes(b"\xd0\xcf\x11\xe0 an OLE file")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no soffice, no libreoffice
    result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(tmp_path / "index"), "--workers",
                                       "1", "--verbose"])
    assert (0, [f"skipped: report.doc: {MISSING}"], "skipped: 1 .doc") == (
        result.exit_code, result.stderr.splitlines(), result.stdout.splitlines()[-1])
