"""reports-search (search.cli) through click's CliRunner on the seed index."""

import json

import pytest
from click.testing import CliRunner

from search.cli import main, parse_year

KEYS = ["query", "mode", "total", "page", "limit", "hits", "facets", "suggestion"]
HIT_KEYS = ["file", "title", "agency", "province", "city", "county", "level", "sector", "year", "publish_date",
            "score", "sections", "sections_total"]
SECTION_KEYS = ["heading", "path", "kinds", "matches", "snippets", "paragraphs"]


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


def test_terminal_output_counts_the_sections_past_the_best_few(seed_index):
    data = json.loads(run("执法", "--index-dir", seed_index, "--json").output)
    more = [h["sections_total"] - len(h["sections"]) for h in data["hits"]]
    assert any(more)
    lines = run("执法", "--index-dir", seed_index).output
    assert [f"   … 另有 {n} 个章节（--every-section 列出全部）" for n in more if n] == [
        line for line in lines.splitlines() if line.startswith("   … 另有")]
    every = json.loads(run("执法", "--index-dir", seed_index, "--json", "--every-section").output)
    assert all(len(h["sections"]) >= h["sections_total"] for h in every["hits"])


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


def files(*args) -> list[str]:
    result = run(*args, "--json", "--limit", "100")
    assert 0 == result.exit_code, result.output
    return [h["file"] for h in json.loads(result.output)["hits"]]


# Filter values as people type them find what the index's own value finds (and something).
@pytest.mark.parametrize("typed, stored", [
    (["--province", "广东省"], ["--province", "广东"]),
    (["--province", "廣東"], ["--province", "广东"]),
    (["--city", "杭州市"], ["--city", "杭州"]),
    (["--county", "萧山"], ["--county", "萧山区"]),
    (["--agency", "四平"], ["--agency", "四平市公安局"]),
    (["--agency", "萧山区分局"], ["--agency", "杭州市公安局萧山区分局"]),
    (["--level", "City"], ["--level", "city"]),
    (["--province", "吉林省", "--province", "浙江省"], ["--province", "吉林", "--province", "浙江"]),
])
def test_typed_filter_values_resolve_to_the_index_values(seed_index, typed, stored):
    expected = files("公安", "--index-dir", seed_index, *stored)
    assert (True, expected) == (len(expected) > 0, files("公安", "--index-dir", seed_index, *typed))


@pytest.mark.parametrize("args, message", [
    (["--province", "广州省"], "Error: --province 广州省: not in the index; close values: 广东"),
    (["--agency", "公安"], "Error: --agency 公安: matches several values, give one of: 四平市公安局, 广州市公安局, "
                           "汕头市公安局, 江门市公安局, 杭州市公安局萧山区分局"),
    (["--kind", "bogus"], "Error: --kind bogus: not in the index; the values are: 举措成效, 问题不足, 第一责任人, 下年安排, "
                          "其他"),
    (["--level", "bogus"], "Error: --level bogus: not in the index; the values are: city, district"),
    (["--kind", "问题"], "Error: --kind 问题: not in the index; close values: 问题不足"),
    (["--page", "2"], "Error: --page 2 is out of range: the last page is 1 (5 reports, 10 a page)"),
    (["--page", "4", "--limit", "2"], "Error: --page 4 is out of range: the last page is 3 (5 reports, 2 a page)"),
])
def test_unknown_filter_values_and_pages_exit_2_with_what_to_type(seed_index, args, message):
    result = run("公安", "--index-dir", seed_index, *args)
    assert (2, "", message) == (result.exit_code, result.stdout, result.stderr.strip())


def test_the_last_page_itself_is_fine(seed_index):
    result = run("公安", "--index-dir", seed_index, "--page", "3", "--limit", "2", "--json")
    assert (0, 1) == (result.exit_code, len(json.loads(result.output)["hits"]))


def test_several_years_are_a_set(seed_index):
    both = files("公安", "--index-dir", seed_index, "--year", "2021", "--year", "2023")
    each = files("公安", "--index-dir", seed_index, "--year", "2021") + files("公安", "--index-dir", seed_index,
                                                                            "--year", "2023")
    result = json.loads(run("公安", "--index-dir", seed_index, "--year", "2021", "--year", "2023", "--json").output)
    assert (2, sorted(each)) == (len(each), sorted(both))
    assert [2021, 2023] == sorted(v["value"] for v in result["facets"]["year"] if v["selected"])


@pytest.mark.parametrize("words, query", [
    (["执法", "记录仪"], "执法 记录仪"),
    (["--", "-信访", "公安"], "-信访 公安"),
    (["标题:公安", "OR", "记录仪"], "标题:公安 OR 记录仪"),
])
def test_several_arguments_are_one_query(seed_index, words, query):
    joined = run("--index-dir", seed_index, "--json", *words)
    quoted = run("--index-dir", seed_index, "--json", "--", query)
    assert (0, json.loads(quoted.output)) == (joined.exit_code, json.loads(joined.output))
    assert query == json.loads(joined.output)["query"]
