"""reports-search (search.cli) through click's CliRunner on the seed index."""

import json

import pytest
from click.testing import CliRunner

from search.cli import main, parse_year

KEYS = ["query", "mode", "total", "page", "limit", "hits", "facets", "suggestion"]
HIT_KEYS = ["file", "title", "agency", "province", "city", "county", "level", "sector", "year", "publish_date",
            "score", "sections"]
SECTION_KEYS = ["heading", "path", "kinds", "matches", "snippets"]


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_json_output_keys(seed_index):
    result = run("执法记录仪", "--index-dir", seed_index, "--json")
    assert 0 == result.exit_code
    data = json.loads(result.output)
    assert KEYS == [k for k in data if k in KEYS]
    assert ("执法记录仪", "exact", 1, 10) == (data["query"], data["mode"], data["page"], data["limit"])
    hit = data["hits"][0]
    assert HIT_KEYS == [k for k in hit if k in HIT_KEYS]
    assert SECTION_KEYS == [k for k in hit["sections"][0] if k in SECTION_KEYS]
    assert {"province", "city", "county", "agency", "level", "sector", "year", "kind"} == set(data["facets"])
    assert {"value", "count", "selected"} == set(data["facets"]["province"][0])


def test_options_reach_the_engine(seed_index):
    args = ["公安", "--index-dir", seed_index, "--json", "--year", "2020-2022", "--sort", "year", "--limit",
            "10000", "--mode", "words", "--province", "广东"]
    data = json.loads(run(*args).output)
    assert ("words", 10000) == (data["mode"], data["limit"])
    assert all(h["province"] == "广东" and 2020 <= h["year"] <= 2022 for h in data["hits"])
    assert [f["value"] for f in data["facets"]["province"] if f["selected"]] == ["广东"]


def test_index_dir_from_environment(seed_index):
    result = run("公安", "--json", env={"REPORTS_INDEX_DIR": str(seed_index)})
    assert (0, 5) == (result.exit_code, json.loads(result.output)["total"])


def test_terminal_output(seed_index):
    result = run("执法记录仪", "--index-dir", seed_index)
    assert 0 == result.exit_code
    assert "1 份报告" in result.output
    assert "执法记录仪" in result.output and "<mark>" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--year", "twenty"], "Error: --year must be a year (2021) or a range (2020-2022), not 'twenty'"),
    (["--year", "2022-2020"], "Error: --year range '2022-2020' is empty: the first year is later"),
    (["--limit", "0"], "Error: limit must be between 1 and 10000, not 0"),
])
def test_bad_parameters_exit_2(seed_index, args, message):
    result = run("公安", "--index-dir", seed_index, *args)
    assert (2, message) == (result.exit_code, result.output.strip())


def test_missing_index_one_line_exit_2(tmp_path):
    result = run("公安", "--index-dir", tmp_path / "nowhere")
    assert 2 == result.exit_code
    assert 1 == len(result.output.strip().splitlines())
    assert "reports-index build CORPUS --index-dir" in result.output


@pytest.mark.parametrize("value, expected", [("2021", (2021, 2021)), ("2020-2022", (2020, 2022)),
                                             ("２０２０－２０２２", (2020, 2022)), (None, (None, None))])
def test_parse_year(value, expected):
    assert expected == parse_year(value)


def test_help_has_an_example():
    result = run("--help")
    assert 0 == result.exit_code and "Example:" in result.output
