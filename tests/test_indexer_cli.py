"""``reports-index`` (indexer.cli) through click's CliRunner: parse's JSON contract, summary and exit codes; the
fatal errors of build and stats (exit 2) and the exit codes build's help documents."""

import json

import pytest
from click.testing import CliRunner

from build_helpers import make_corpus
from conftest import CORPUS, load_truth
from indexer.cli import main

TRUTH = load_truth()
CONTRACT = {"file", "title", "agency", "province", "city", "county", "level", "sector", "year", "publish_date",
            "doc_date", "sections"}


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_parse_json_has_the_contract_keys_and_values(label):
    result = run("parse", str(CORPUS / label["file"]), "--json")
    assert 0 == result.exit_code
    data = json.loads(result.output)
    assert set() == CONTRACT - set(data)
    assert (label["agency"], label["year"], label["level"]) == (data["agency"], data["year"], data["level"])
    assert str(CORPUS / label["file"]) == data["file"]
    section_keys = {"heading", "level", "kinds", "start", "end"}
    assert [] == [s for s in data["sections"] if section_keys - set(s)]
    assert label["level1_kinds"] == [s["kinds"] for s in data["sections"] if s["level"] == 1]


def test_parse_summary_is_readable():
    result = run("parse", str(CORPUS / TRUTH[0]["file"]))
    assert 0 == result.exit_code
    lines = result.output.splitlines()
    assert "agency:       广州市公安局" in lines
    assert "place:        广东 / 广州 / -" in lines
    assert "  七、2022年工作思路  [下年安排]" in lines
    assert "    (一)提高政治站位" in lines


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("report.xyz", b"text", "unsupported file type .xyz"),
        ("empty.txt", b"", "empty file"),
        ("missing.txt", None, "no such file"),
    ],
)
def test_parse_unreadable_file_exits_2_with_one_line(tmp_path, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("parse", str(path))
    assert 2 == result.exit_code
    assert f"Error: {path}: {reason}\n" == result.stderr
    assert "" == result.stdout


def test_parse_help_has_an_example():
    result = run("parse", "--help")
    assert 0 == result.exit_code
    assert "Example:" in result.output


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["build", "{tmp}/missing"], 2, "corpus folder not found"),
        (["build", "{tmp}/corpus", "--workers", "0"], 2, "--workers"),
        (["stats"], 2, "reports-index build"),
    ],
)
def test_fatal_errors_exit_2(tmp_path, args, code, message):
    make_corpus(tmp_path / "corpus")
    args = [a.format(tmp=tmp_path) for a in args] + ["--index-dir", str(tmp_path / "index")]
    result = CliRunner().invoke(main, args)
    assert (code, True) == (result.exit_code, message in result.stderr)


def test_help_documents_exit_codes():
    result = CliRunner().invoke(main, ["build", "--help"])
    codes = [line.split()[0] for line in result.output.split("Exit codes:")[1].splitlines()[1:5]]
    assert ["0", "1", "2", "3"] == codes


FIXTURES = CORPUS.parent / "tests" / "fixtures" / "metadata"


def test_parse_json_has_the_evidence_of_each_field():
    result = run("parse", str(FIXTURES / "05_slogan_city.txt"), "--json")
    assert 0 == result.exit_code
    evidence = json.loads(result.output)["evidence"]
    title = {"source": "title", "text": "市公安局关于2023年度法治政府建设工作情况的报告"}
    slogan = {"source": "slogan", "text": "平安鄂州"}
    assert {"agency": slogan, "province": slogan, "city": slogan, "level": slogan, "sector": title,
            "year": title} == evidence


def test_parse_summary_shows_the_evidence():
    lines = run("parse", str(FIXTURES / "13_url_ambiguous_open.txt")).output.splitlines()
    evidence = lines[lines.index("evidence:") + 1 : lines.index("sections:     4")]
    assert ["  agency:       title: 市公安局2023年法治政府建设年度报告",
            "  province:     url (uncertain): gaj.fuzhou.gov.cn: 福州市（福建） / 抚州市（江西）",
            "  city:         url (uncertain): gaj.fuzhou.gov.cn: 福州市（福建） / 抚州市（江西）",
            "  sector:       title: 市公安局2023年法治政府建设年度报告",
            "  year:         title: 市公安局2023年法治政府建设年度报告"] == evidence
