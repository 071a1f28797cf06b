"""``reports-index parse`` through click's CliRunner: the JSON contract, the summary, exit codes."""

import json

import pytest
from click.testing import CliRunner

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
