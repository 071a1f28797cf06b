"""indexer.parse.metafile: the metadata.csv staff fill — overrides with their evidence, Excel's BOM, malformed
rows reported by line and ignored, the url cell read by the address clue, ``reports-index parse`` reading the
file beside FILE, and a changed row re-indexing its file on the next incremental build."""

import json
import shutil

from click.testing import CliRunner

from conftest import FIXTURES
from indexer.build import build
from indexer.cli import main
from indexer.parse import metafile, parse_file
from search.engine import Engine

HEADER = "file,title,agency,province,city,county,level,sector,year,publish_date,url\n"
META = FIXTURES / "metadata"


def corpus_with(tmp_path, names, csv_text, encoding="utf-8"):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in names:
        shutil.copy(META / name, corpus / name)
    (corpus / "metadata.csv").write_bytes(csv_text.encode(encoding))
    return corpus


def test_cells_override_the_parser_with_their_evidence(tmp_path):
    corpus = corpus_with(tmp_path, ["21_no_work_year.txt"],
                         "\ufeff" + HEADER + "21_no_work_year.txt,,,,,,,,2022,2023/2/1,\n")
    report = parse_file(corpus / "21_no_work_year.txt")
    assert (2022, "2023-02-01", "襄阳") == (report.year, report.publish_date, report.city)
    assert {"source": "metadata_file", "text": "year 2022"} == report.evidence["year"]
    assert {"source": "metadata_file", "text": "publish_date 2023-02-01"} == report.evidence["publish_date"]
    assert "slogan" == report.evidence["city"]["source"]


def test_an_agency_cell_brings_its_places_level_and_sector(tmp_path):
    corpus = corpus_with(tmp_path, ["13_url_ambiguous_open.txt"],
                         HEADER + "13_url_ambiguous_open.txt,,抚州市公安局,,,,,,,,\n")
    report = parse_file(corpus / "13_url_ambiguous_open.txt")
    assert ("抚州市公安局", "江西", "抚州", None, "city", "police") == (
        report.agency, report.province, report.city, report.county, report.level, report.sector)
    assert "metadata_file" == report.evidence["city"]["source"]


def test_the_url_cell_feeds_the_address_clue(tmp_path):
    corpus = corpus_with(tmp_path, ["13_url_ambiguous_open.txt"],
                         HEADER + "13_url_ambiguous_open.txt,,,,,,,,,,http://gaj.xiangyang.gov.cn/a.html\n")
    report = parse_file(corpus / "13_url_ambiguous_open.txt")
    assert ("襄阳市公安局", "襄阳", "http://gaj.xiangyang.gov.cn/a.html") == (
        report.agency, report.city, report.source_url)
    assert {"source": "url", "text": "http://gaj.xiangyang.gov.cn/a.html"} == report.evidence["city"]


def test_bom_and_gb18030_are_read(tmp_path):
    row = "05_slogan_city.txt,,,,,,,,2021,,\n"
    for encoding, prefix in (("utf-8", "\ufeff"), ("gb18030", "")):
        folder = tmp_path / encoding
        folder.mkdir()
        (folder / "metadata.csv").write_bytes((prefix + HEADER + row).encode(encoding))
        assert {"05_slogan_city.txt": {"year": "2021"}} == metafile.load(folder).rows


def test_malformed_rows_are_reported_by_line_and_ignored(tmp_path):
    corpus = corpus_with(tmp_path, ["05_slogan_city.txt"], HEADER + (
        "05_slogan_city.txt,,,,,,,,二〇二一,,\n"
        ",,,,,,city,,,,\n"
        "05_slogan_city.txt,,,,,,regional,,,,\n"
        "05_slogan_city.txt,,,,,,,,,not a date,\n"
        "05_slogan_city.txt,,,,,,,,,,,extra\n"
        "05_slogan_city.txt,,,,,,,,2020,,\n"))
    meta = metafile.load(corpus)
    assert [(2, "year '二〇二一' is not a year"), (3, "no file name"),
            (4, "level 'regional' is not one of provincial, city, district, county"),
            (5, "publish_date 'not a date' is not a date (YYYY-MM-DD)"), (6, "12 cells for 11 columns")] == meta.errors
    assert {"05_slogan_city.txt": {"year": "2020"}} == meta.rows
    assert 2020 == parse_file(corpus / "05_slogan_city.txt").year


def test_a_header_without_a_file_column_ignores_the_file(tmp_path):
    corpus = corpus_with(tmp_path, ["05_slogan_city.txt"], "name,year\n05_slogan_city.txt,2020\n")
    meta = metafile.load(corpus)
    assert ({}, [1]) == (meta.rows, [line for line, _ in meta.errors])
    assert 2023 == parse_file(corpus / "05_slogan_city.txt").year


def test_parse_command_reads_the_metadata_file_beside_file(tmp_path):
    corpus = corpus_with(tmp_path, ["05_slogan_city.txt"],
                         HEADER + "05_slogan_city.txt,,,,,,,,2020,,\nnope.txt,,,,,,,,1800,,\n")
    result = CliRunner().invoke(main, ["parse", str(corpus / "05_slogan_city.txt"), "--json"])
    assert 0 == result.exit_code
    data = json.loads(result.stdout)
    assert (2020, {"source": "metadata_file", "text": "year 2020"}) == (data["year"], data["evidence"]["year"])
    assert [f"warning: {corpus / 'metadata.csv'}:3: year '1800' is not a year; row ignored"] == (
        result.stderr.splitlines())


def test_a_changed_row_reindexes_that_file_only(tmp_path):
    corpus = corpus_with(tmp_path, ["05_slogan_city.txt", "02_signature.txt"],
                         HEADER + "05_slogan_city.txt,,,,,,,,2021,,\n")
    index_dir = tmp_path / "index"
    first = build(corpus, index_dir, workers=1)
    unchanged = build(corpus, index_dir, workers=1)
    (corpus / "metadata.csv").write_text(HEADER + "05_slogan_city.txt,,,,,,,,2019,,\n", encoding="utf-8")
    changed = build(corpus, index_dir, workers=1)
    (corpus / "metadata.csv").unlink()
    removed = build(corpus, index_dir, workers=1)
    assert [(2, 0), (0, 0), (0, 1), (0, 1)] == [(s.added, s.updated) for s in (first, unchanged, changed, removed)]
    engine = Engine(index_dir)
    try:
        report = engine.report("05_slogan_city.txt")
        assert (2023, "title") == (report["year"], report["evidence"]["year"]["source"])
    finally:
        engine.close()


def test_build_notes_malformed_rows(tmp_path):
    corpus = corpus_with(tmp_path, ["05_slogan_city.txt"], HEADER + "05_slogan_city.txt,,,,,,,,year,,\n")
    summary = build(corpus, tmp_path / "index", workers=1)
    assert ["metadata.csv:2: year 'year' is not a year; row ignored"] == summary.notes
    assert (1, []) == (summary.added, summary.failed)


def test_a_report_is_looked_up_beside_it_then_in_the_folders_above_up_to_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "a" / "b").mkdir(parents=True)
    (tmp_path / "metadata.csv").write_text(HEADER + "corpus/a/b/outside.txt,外面,,,,,,,,,\n", encoding="utf-8")
    (corpus / "metadata.csv").write_text(HEADER + "a/b/top.txt,顶层,,,,,,,,,\na/b/both.txt,顶层,,,,,,,,,\n",
                                         encoding="utf-8")
    (corpus / "a" / "metadata.csv").write_text(HEADER + "b/mid.txt,中层,,,,,,,,,\nb/both.txt,中层,,,,,,,,,\n",
                                               encoding="utf-8")
    (corpus / "a" / "b" / "metadata.csv").write_text(HEADER + "near.txt,本层,,,,,,,,,\n", encoding="utf-8")
    rows = metafile.Rows(corpus)
    names = ["near.txt", "mid.txt", "top.txt", "both.txt", "outside.txt", "none.txt"]
    found = [(r or {}).get("title") for r in (rows.row(corpus / "a" / "b" / n) for n in names)]
    assert ["本层", "中层", "顶层", "中层", None, None] == found
    assert found == [(metafile.row_for(corpus / "a" / "b" / n, corpus) or {}).get("title") for n in names]
    assert "外面" == metafile.row_for(corpus / "a" / "b" / "outside.txt")["title"]  # no root: up to /
