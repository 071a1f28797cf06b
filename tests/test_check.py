"""indexer.check and ``reports-index check``: the reports whose metadata is missing or only guessed, why, and
the metadata.csv pre-filled with the parser's guesses (read back by indexer.parse.metafile)."""

import shutil

from click.testing import CliRunner

from conftest import FIXTURES
from indexer.check import check, write_csv
from indexer.cli import main
from indexer.parse import metafile

META = FIXTURES / "metadata"
NAMES = ("02_signature.txt", "13_url_ambiguous_open.txt", "18_spaced_metadata_block.txt", "21_no_work_year.txt")
OPEN = "gaj.fuzhou.gov.cn: 福州市（福建） / 抚州市（江西）"


def make(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in NAMES:
        shutil.copy(META / name, corpus / name)
    return corpus


def test_check_lists_missing_and_guessed_fields_with_reasons(tmp_path):
    result = check(make(tmp_path))
    assert 4 == result.reports
    assert {
        "02_signature.txt": {"publish_date": "missing"},
        "13_url_ambiguous_open.txt": {"province": f"missing ({OPEN})", "city": f"missing ({OPEN})",
                                      "level": "missing", "publish_date": "missing"},
        "21_no_work_year.txt": {"year": "missing", "publish_date": "missing"},
    } == {f.file: f.reasons for f in result.findings}


def test_csv_is_a_metadata_file_prefilled_with_the_guesses(tmp_path):
    corpus = make(tmp_path)
    out = tmp_path / "out" / "metadata.csv"
    out.parent.mkdir()
    assert 3 == write_csv(check(corpus), out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbffile,title,agency,province,city,county,level,sector,year,")
    meta = metafile.load(out.parent)
    assert [] == meta.errors
    assert {"title": "市公安局法治政府建设工作情况报告", "agency": "襄阳市公安局", "province": "湖北", "city": "襄阳",
            "level": "city", "sector": "police"} == meta.rows["21_no_work_year.txt"]
    assert "https://gaj.fuzhou.gov.cn/art/2024/2/6/art_2_77.html" == meta.rows["13_url_ambiguous_open.txt"]["url"]


def test_a_filled_row_clears_the_finding(tmp_path):
    corpus = make(tmp_path)
    (corpus / "metadata.csv").write_text(
        "file,year,publish_date\n21_no_work_year.txt,2023,2024-01-30\n02_signature.txt,,2023-01-21\n", encoding="utf-8")
    assert ["13_url_ambiguous_open.txt"] == [f.file for f in check(corpus).findings]


def test_check_command(tmp_path):
    corpus = make(tmp_path)
    out = tmp_path / "to-check.csv"
    result = CliRunner().invoke(main, ["check", str(corpus), "--csv", str(out)])
    assert 0 == result.exit_code
    assert [
        "02_signature.txt: publish_date missing",
        f"13_url_ambiguous_open.txt: province missing ({OPEN}); city missing ({OPEN}); level missing; "
        "publish_date missing",
        "21_no_work_year.txt: year missing; publish_date missing",
        "3 of 4 reports have metadata to check",
        f"wrote 3 rows to {out}",
    ] == result.stdout.splitlines()
    assert 4 == len(out.read_text(encoding="utf-8-sig").splitlines())


def test_a_guessed_year_and_an_unplaced_namesake_are_listed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("鼓楼区公安分局法治政府建设工作报告\n发布日期：2024-02-01\n我局推进法治建设。\n一、主要举措\n",
                                  encoding="utf-8")
    (finding,) = check(corpus).findings
    title = "鼓楼区公安分局法治政府建设工作报告"
    assert {**{k: f"uncertain (title: {title})" for k in ("province", "city", "county", "level")},
            "year": "guessed (inferred: 2024-02-01)"} == finding.reasons
