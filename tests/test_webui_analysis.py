"""The analysis pages through Flask's test client on the seed index: matrix, trend, compare, related, explain.

Each page and its JSON twin come from one object; every number that links to a search equals that search's
total; bad parameters are 400 (HTML page or ``{"error"}``); report text and the query are escaped.
"""

import csv
import html
import io
import re
from urllib.parse import unquote_plus, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.engine import SearchRequest
from search.matrix import matrix
from search.trend import trend
from search_helpers import build_index, make_report
from webui import create_app

EVIL = "<script>alert(1)</script>"


def get_json(client, url, status=200):
    response = client.get(url)
    assert (status, "application/json") == (response.status_code, response.mimetype), response.get_data(as_text=True)
    return response.get_json()


def get_page(client, url, status=200) -> str:
    response = client.get(url)
    assert (status, "text/html") == (response.status_code, response.mimetype)
    return response.get_data(as_text=True)


def links(fragment: str) -> list[tuple[str, str]]:
    """(href, text) of every link, unescaped."""
    return [(html.unescape(href), html.unescape(re.sub(r"<[^>]+>", "", text)))
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', fragment, re.S)]


def search_total(client, href: str) -> int:
    assert href == "/search" or href.startswith("/search?")
    return get_json(client, href.replace("/search", "/search.json", 1))["total"]


# --- /matrix ----------------------------------------------------------------------------------------------------------

MATRIX_CASES = [("q=执法记录仪", "执法记录仪", "province"), ("q=执法&rows=city", "执法", "city"),
                ("rows=agency", "", "agency"), ("q=复议&province=广东&rows=city", "复议", "city"),
                ("q=执法 记录仪&mode=words", "执法 记录仪", "province")]


@pytest.mark.parametrize("query_string, q, rows", MATRIX_CASES)
def test_matrix_json_is_the_library_object(client, engine, query_string, q, rows):
    province = ["广东"] if "province=" in query_string else []
    mode = "words" if "mode=words" in query_string else "exact"
    expected = matrix(engine, SearchRequest(q=q, mode=mode, province=province), rows).to_dict()
    assert expected == get_json(client, f"/matrix.json?{query_string}")


@pytest.mark.parametrize("query_string, q, rows", MATRIX_CASES)
def test_every_matrix_link_opens_a_search_with_its_count(client, query_string, q, rows):
    page = get_page(client, f"/matrix?{query_string}")
    table = re.search(r'<table class="matrix".*?</table>', page, re.S).group(0)
    cells = links(table)
    data = get_json(client, f"/matrix.json?{query_string}")
    expected = [c["matched"] for row in data["table"] for c in row["cells"] + [row] if c["matched"]]
    expected += [c["matched"] for c in data["totals"]["cells"] + [data["totals"]] if c["matched"]]
    assert [str(n) for n in expected] == [text for _, text in cells]
    for href, text in cells:
        assert int(text) == search_total(client, href)
        assert f"q={q}" in unquote_plus(href) if q else "q=" not in href


def test_matrix_cells_say_no_report_or_no_match(client):
    data = get_json(client, "/matrix.json?q=执法记录仪")
    page = get_page(client, "/matrix?q=执法记录仪")
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    shown = [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<td[^>]*>(.*?)</td>", body)]
    expected = []
    for row in data["table"]:
        for c in row["cells"] + [row]:
            rules = " · ".join(f"{label} {c['compliance'][name]}" for name, label in (("late", "逾期"), ("incomplete", "缺项"))
                               if c["compliance"][name])
            expected.append(("无报告" if not c["held"] else "无匹配 / %d" % c["held"] if not c["matched"]
                             else "%d / %d" % (c["matched"], c["held"])) + rules)
    assert expected == shown


def test_matrix_csv_is_the_json_as_a_grid(client):
    response = client.get("/matrix.csv?q=执法&rows=city")
    data = get_json(client, "/matrix.json?q=执法&rows=city")
    assert ("text/csv", b"\xef\xbb\xbf") == (response.mimetype, response.data[:3])
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    header = ["省份", "城市"] + [f"{y}年{w}" for y in data["years"] for w in ("匹配", "收录")] + ["合计匹配", "合计收录"]
    body = [[r["key"]["province"], r["key"]["city"]] + [str(n) for c in r["cells"] for n in (c["matched"], c["held"])]
            + [str(r["matched"]), str(r["held"])] for r in data["table"]]
    totals = data["totals"]
    last = ["合计", ""] + [str(n) for c in totals["cells"] for n in (c["matched"], c["held"])] + [
        str(totals["matched"]), str(totals["held"])]
    assert [header] + body + [last] == rows


def test_matrix_rows_toggle_links(client):
    page = get_page(client, "/matrix?q=执法&rows=city")
    nav = re.search(r'<nav class="toggles".*?</nav>', page, re.S).group(0)
    assert [("/matrix?q=执法", "按省份"), ("/matrix?q=执法&rows=city", "按城市"), ("/matrix?q=执法&rows=agency", "按机关"),
            ("/trend?q=执法", "趋势图"), ("/matrix.csv?q=执法&rows=city", "导出 CSV"),
            ("/matrix.xlsx?q=执法&rows=city", "导出 Excel"),
            ("/matrix.json?q=执法&rows=city", "JSON")] == [(unquote_plus(h), t) for h, t in links(nav)]


# --- /trend -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query_string, q", [("q=执法记录仪", "执法记录仪"), ("q=执法", "执法"), ("", "")])
def test_trend_json_is_the_library_object(client, engine, query_string, q):
    assert trend(engine, SearchRequest(q=q)).to_dict() == get_json(client, f"/trend.json?{query_string}")


def test_trend_chart_has_a_point_per_year_with_reports_and_the_numbers_under_it(client):
    data = get_json(client, "/trend.json?q=执法记录仪")
    page = get_page(client, "/trend?q=执法记录仪")
    svg = re.search(r"<svg class=\"chart\".*?</svg>", page, re.S).group(0)
    points = [html.unescape(t) for t in re.findall(r"<circle [^>]*><title>([^<]+)</title>", svg)]
    assert sorted(f"{s['name']} {p['year']}年：{p['matched']} / {p['held']}（{p['share'] * 100:.0f}%）"
                  for s in data["series"] for p in s["points"] if p["share"] is not None) == sorted(points)
    table = re.search(r'<table class="numbers" id="trend-table">.*?</table>', page, re.S).group(0)
    names = [html.unescape(n) for n in re.findall(r'<th scope="row">([^<]+)</th>', table)]
    assert [s["name"] for s in data["series"]] == names
    for href, text in links(table):
        assert int(text.split(" / ")[0]) == search_total(client, href)


# --- bad parameters ---------------------------------------------------------------------------------------------------

BAD = [
    ("/matrix", "rows=county", "参数 rows 只能是 province 或 city 或 agency，收到“county”"),
    ("/matrix", "page=2", "未知参数：page。可用参数：agency、city、county、kind、level、mode、province、q、rows、"
                          "sector、year、year_from、year_to"),
    ("/matrix", "year=abc", "参数 year 应为四位年份（如 2021），收到“abc”"),
    ("/matrix.csv", "mode=xyz", "参数 mode 只能是 exact 或 words，收到“xyz”"),
    ("/trend", "rows=city", "未知参数：rows。可用参数：agency、city、county、kind、level、mode、province、q、"
                            "sector、year、year_from、year_to"),
    ("/trend", "q=" + "警" * 600, "查询过长（600 个字符），最多 500 个字符"),
    ("/compare", "ids=000_27c9d69931be37ee.txt", "请选择 2 到 4 份报告进行对比，当前选择了 1 份"),
    ("/compare", "ids=a&ids=b&ids=c&ids=d&ids=e", "请选择 2 到 4 份报告进行对比，当前选择了 5 份"),
    ("/compare", "ids=a&ids=b&city=广州&year=2021", "已用 ids 选定报告，不能再用筛选条件：city、year"),
    ("/compare", "kind=其他", "参数 kind 只能是 问题不足 或 举措成效 或 第一责任人 或 下年安排，收到“其他”"),
    ("/compare", "kind=问题不足&kind=举措成效", "参数 kind 只能出现一次"),
    ("/compare", "sort=year", "未知参数：sort。可用参数：agency、city、county、ids、kind、level、mode、province、q、"
                              "sector、year、year_from、year_to"),
    ("/explain", "mode=all", "参数 mode 只能是 exact 或 words，收到“all”"),
    ("/related", "section=1", "缺少参数 id（报告）"),
    ("/related", "id=000_27c9d69931be37ee.txt", "缺少参数 section（章节序号）"),
    ("/related", "id=000_27c9d69931be37ee.txt&section=abc", "参数 section 应为整数，收到“abc”"),
    ("/related", "id=000_27c9d69931be37ee.txt&section=1&q=执法", "未知参数：q。可用参数：id、section"),
    ("/explain", "q=a%00b", "查询中含有控制字符"),
]


@pytest.mark.parametrize("path, query_string, message", BAD)
def test_bad_parameters_are_400(client, path, query_string, message):
    if not path.endswith(".csv"):
        assert {"error": message} == get_json(client, f"{path}.json?{query_string}", 400)
    page = get_page(client, f"{path}?{query_string}", 400)
    assert f'<p class="message">{html.escape(message, quote=True)}</p>' in page


# --- escaping ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def evil_client(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("evil-analysis")
    reports = [
        make_report("evil/a.txt", f"一、执法检查\n开展执法检查{EVIL}，执法记录仪全覆盖。\n二、存在问题\n执法{EVIL}不规范。\n",
                    {"一、执法检查": ["举措成效"], "二、存在问题": ["问题不足"]}, title=f"{EVIL}报告",
                    agency=f"{EVIL}公安局", province=f"{EVIL}省", city="广州", year=2021),
        make_report("evil/b.txt", "一、执法检查\n执法记录仪配备到位。\n二、存在问题\n执法记录仪使用不规范。\n",
                    {"一、执法检查": ["举措成效"], "二、存在问题": ["问题不足"]}, title="某局报告",
                    agency="某市公安局", province="广东", city="深圳", year=2022),
    ]
    build_index(index_dir, reports)
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


EVIL_URLS = ["/matrix?q=执法", f"/matrix?q={EVIL}", "/matrix?rows=agency", "/trend?q=执法", f"/trend?q={EVIL}",
             "/compare?ids=evil/a.txt&ids=evil/b.txt&q=执法", f"/compare?ids=evil/a.txt&ids=evil/b.txt&q={EVIL}",
             "/compare?kind=举措成效&q=script", f"/explain?q={EVIL}", f"/explain?q=同句({EVIL} 执法)",
             "/related?id=evil/b.txt&section=1", "/related?id=evil/a.txt&section=0"]


@pytest.mark.parametrize("url", EVIL_URLS)
def test_analysis_pages_escape_report_text_and_query(evil_client, url):
    response = evil_client.get(url)
    page = response.get_data(as_text=True)
    assert 200 == response.status_code
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert [] == re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) + re.findall(r"\s(?:on\w+|style)=", page)


# --- /compare ---------------------------------------------------------------------------------------------------------

def test_compare_json_is_the_library_object(client, engine, truth):
    from search.compare import compare

    ids = [truth[0]["file"], truth[3]["file"], truth[1]["file"]]
    query = "&".join(f"ids={i}" for i in ids)
    assert compare(engine, ids, "问题不足", "执法").to_dict() == get_json(
        client, f"/compare.json?{query}&kind=问题不足&q=执法")


@pytest.mark.parametrize("kind", ["举措成效", "问题不足", "第一责任人", "下年安排"])
def test_compare_page_has_a_column_per_report_with_its_sections_and_marks(client, truth, kind):
    ids = [t["file"] for t in truth[:4]]
    query = "&".join(f"ids={i}" for i in ids) + f"&kind={kind}&q=执法"
    data = get_json(client, f"/compare.json?{query}")
    page = get_page(client, f"/compare?{query}")
    columns = re.findall(r'<article class="cmp-col">(.*?)</article>', page, re.S)
    assert len(ids) == len(columns)
    for report, column in zip(data["reports"], columns):
        headings = [html.unescape(re.sub(r"</?mark>", "", h)) for h in re.findall(
            r'<section class="cmp-sec" data-step="\d+">\s*<h3><a href="[^"]+">(.*?)</a>', column)]
        assert [s["text"][:s["parts"][0]["body_start"]].rstrip() for s in report["sections"]] == headings
        assert sum(len(s["matches"]) for s in report["sections"]) == column.count("<mark>")
        assert (not report["sections"]) == (f"本报告没有标为“{kind}”的部分。" in column)
        assert [f"s-{s['index']}" for s in report["sections"]] == re.findall(r'<h3><a href="[^"#]+#(s-\d+)"', column)


def test_compare_by_filters_takes_the_first_reports_of_the_search(client):
    data = get_json(client, "/compare.json?kind=下年安排&province=广东")
    hits = get_json(client, "/search.json?kind=下年安排&province=广东&sort=year&limit=4")["hits"]
    assert [h["file"] for h in hits] == [r["file"] for r in data["reports"]]
    page = get_page(client, "/compare?kind=下年安排&province=广东")
    assert "（按筛选条件选出前几份）" in page


def test_compare_kind_links_keep_the_selection(client, truth):
    ids = [truth[0]["file"], truth[1]["file"]]
    base = f"ids={ids[0]}&ids={ids[1]}&q=执法"
    page = get_page(client, f"/compare?{base}&kind=下年安排")
    nav = re.search(r'<nav class="toggles".*?</nav>', page, re.S).group(0)
    assert [(f"/compare?{base}&kind=举措成效", "举措成效"), (f"/compare?{base}", "问题不足"),
            (f"/compare?{base}&kind=第一责任人", "第一责任人"), (f"/compare?{base}&kind=下年安排", "下年安排"),
            (f"/compare.json?{base}&kind=下年安排", "JSON")] == [(unquote_plus(h), t) for h, t in links(nav)]
    assert 'src="/static/compare.js"' in page


def test_search_page_checkboxes_submit_to_compare(client):
    data = get_json(client, "/search.json?q=执法&kind=下年安排")
    page = get_page(client, "/search?q=执法&kind=下年安排")
    form = re.search(r'<form class="compare-form" id="compare-form" action="([^"]+)" method="get">(.*?)</form>',
                     page, re.S)
    assert "/compare" == form.group(1)
    assert [h["file"] for h in data["hits"]] == [html.unescape(v) for v in re.findall(
        r'<input type="checkbox" name="ids" value="([^"]+)"', form.group(2))]
    assert ["下年安排"] == re.findall(r'<option value="([^"]+)" selected>', form.group(2))
    assert [("q", "执法")] == re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', form.group(2))


def test_search_page_links_to_the_analysis_pages(client):
    page = get_page(client, "/search?q=执法&city=广州&page=1&sort=year")
    found = {text: unquote_plus(href) for href, text in links(page)}
    assert ("/matrix?q=执法&city=广州", "/trend?q=执法&city=广州", "/explain?q=执法") == (
        found["地区 × 年份"], found["趋势"], found["查询解析"])


# --- /explain ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("q, normalized, changes", [
    ("执法", "执法", []),
    ("執法記錄儀", "执法记录仪", [("執", "执", "繁体→简体"), ("記", "记", "繁体→简体"), ("錄", "录", "繁体→简体"),
                                  ("儀", "仪", "繁体→简体")]),
    ("２０２１年", "2021年", [("２", "2", "全角/兼容字符（NFKC）"), ("０", "0", "全角/兼容字符（NFKC）"),
                              ("１", "1", "全角/兼容字符（NFKC）")]),
    ("ＡＰＰ", "app", [("Ａ", "a", "全角/兼容字符（NFKC）、大小写"), ("Ｐ", "p", "全角/兼容字符（NFKC）、大小写")]),
    ("App OR 警务", "app or 警务", [("A", "a", "大小写")]),
    ("执\u200b法", "执法", [("\u200b", "", "不可见字符，删除")]),
])
def test_explain_shows_the_normalized_forms(client, q, normalized, changes):
    data = get_json(client, f"/explain.json?q={q}")
    assert (normalized, changes) == (data["normalized"], [(c["char"], c["to"], "、".join(c["reasons"]))
                                                          for c in data["changes"]])
    page = get_page(client, f"/explain?q={q}")
    assert f'<code id="normalized">{html.escape(normalized)}</code>' in page
    rows = re.findall(r"<tr><td>(.*?)</td><td><code>U\+[0-9A-F]+</code></td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    assert [(html.escape(a), html.escape(b) or "（删除）", c) for a, b, c in changes] == rows


@pytest.mark.parametrize("q, mode, tree", [
    ("执法 记录仪", "exact", {"op": "and", "children": [
        {"op": "term", "text": "执法", "normalized": "执法", "scope": "all"},
        {"op": "term", "text": "记录仪", "normalized": "记录仪", "scope": "all"}]}),
    ("执法 或 記錄儀", "exact", {"op": "or", "children": [
        {"op": "term", "text": "执法", "normalized": "执法", "scope": "all"},
        {"op": "term", "text": "記錄儀", "normalized": "记录仪", "scope": "all"}]}),
    ("标题:公安 -信访", "exact", {"op": "and", "children": [
        {"op": "term", "text": "公安", "normalized": "公安", "scope": "title"},
        {"op": "not", "child": {"op": "term", "text": "信访", "normalized": "信访", "scope": "all"}}]}),
    ("同段(执法 规范)", "exact", {"op": "near", "unit": "paragraph", "terms": ["执法", "规范"],
                                  "normalized": ["执法", "规范"]}),
])
def test_explain_shows_the_parsed_tree(client, q, mode, tree):
    assert tree == get_json(client, f"/explain.json?q={q}&mode={mode}")["parsed"]


@pytest.mark.parametrize("q, mode", [("执法 记录仪", "exact"), ("执法记录仪 -信访", "exact"), ("规范执法监督", "words"),
                                     ("标题:公安 OR 章节:问题", "exact"), ("同句(执法 规范) 執法", "exact")])
def test_explain_counts_each_term_alone(client, q, mode):
    data = get_json(client, f"/explain.json?q={q}&mode={mode}")
    assert get_json(client, f"/search.json?q={q}&mode={mode}")["total"] == data["total"]
    page = get_page(client, f"/explain?q={q}&mode={mode}")
    table = re.search(r'<table class="numbers terms" id="terms">.*?</table>', page, re.S).group(0)
    for term, (href, text) in zip(data["terms"], links(table), strict=True):
        assert f"{term['reports']} 份" == text
        assert term["reports"] == search_total(client, href)
        if (term["scope"], term["unit"]) == ("all", None):
            assert get_json(client, f"/search.json?q={term['text']}")["total"] == term["reports"]


def test_explain_words_mode_shows_the_words_searched(client):
    data = get_json(client, "/explain.json?q=规范执法监督&mode=words")
    assert [("规范", "exact", ["规范"], ["规范"]), ("执法监督", "exact", ["执法", "监督"], ["执法监督"])] == [
        (t["text"], t["field"], t["grams"][0], t["words"][0]) for t in data["terms"]]


def test_compare_unknown_report_is_404(client, truth):
    assert {"error": "找不到该报告：nothing.txt"} == get_json(
        client, f"/compare.json?ids={truth[0]['file']}&ids=nothing.txt", 404)
    assert "找不到该报告：nothing.txt" in get_page(client, f"/compare?ids={truth[0]['file']}&ids=nothing.txt", 404)


def test_compare_shows_evil_report_text_as_text(evil_client):
    page = evil_client.get("/compare?ids=evil/a.txt&ids=evil/b.txt&q=执法").get_data(as_text=True)
    assert "<mark>执法</mark>&lt;script&gt;alert(1)&lt;/script&gt;不规范。" in page


# --- /related ---------------------------------------------------------------------------------------------------------

def test_related_json_is_the_library_object(client, engine, truth):
    from search.related import related

    assert related(engine, truth[0]["file"], 20).to_dict() == get_json(
        client, f"/related.json?id={truth[0]['file']}&section=20")


def test_related_page_links_each_section_to_its_report(client, truth):
    rid = truth[1]["file"]
    data = get_json(client, f"/related.json?id={rid}&section=1")
    page = get_page(client, f"/related?id={rid}&section=1")
    listed = re.search(r'<ol class="hits related" id="related">.*?</ol>', page, re.S).group(0)
    assert data["related"] and rid not in listed
    assert [(f"/report/{r['file']}#s-{r['index']}", " › ".join(r["path"])) for r in data["related"]] == [
        (unquote_plus(h), t) for h, t in links(listed) if t != "相似段落"]
    assert [f"/related?id={r['file']}&section={r['index']}" for r in data["related"]] == [
        unquote_plus(h) for h, t in links(listed) if t == "相似段落"]


def test_report_page_links_every_heading_to_its_related_sections(client, truth):
    rid = truth[2]["file"]
    report = get_json(client, f"/report.json?id={rid}")["report"]
    page = get_page(client, f"/report/{rid}")
    found = [unquote_plus(html.unescape(h)) for h in re.findall(r'<a class="related-link" href="([^"]+)"', page)]
    assert [f"/related?id={rid}&section={s['index']}" for s in report["sections"]] == found
    for href in found[:3]:
        assert 200 == client.get(href).status_code


@pytest.mark.parametrize("query_string", ["id=nothing.txt&section=0", "id=000_27c9d69931be37ee.txt&section=9999"])
def test_related_unknown_report_or_section_is_404(client, query_string):
    assert "error" in get_json(client, f"/related.json?{query_string}", 404)
    get_page(client, f"/related?{query_string}", 404)


# --- whatever the query string, an answer and never a 500 -------------------------------------------------------------

FUZZ_NAMES = ["q", "mode", "rows", "ids", "kind", "year", "year_from", "province", "city", "id", "section", "page"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["/matrix", "/trend", "/compare", "/explain", "/related"]),
       st.lists(st.tuples(st.sampled_from(FUZZ_NAMES), st.text(max_size=12)), max_size=4))
def test_any_query_string_is_an_answer(client, path, pairs):
    for url in (f"{path}.json?{urlencode(pairs)}", f"{path}?{urlencode(pairs)}"):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (url, response.get_data(as_text=True)[:300])


def test_explain_shows_each_factor_of_a_reports_sections(client):
    from search.explain import FACTORS

    first = client.get("/search.json?q=执法 培训").get_json()["hits"][0]
    ranking = client.get("/explain.json?q=执法 培训").get_json()["ranking"]
    assert (first["file"], first["score"]) == (ranking["file"], ranking["score"])
    assert ["执法", "培训"] == list(ranking["idf"])
    listed = [(s["path"], s["score"]) for s in first["sections"]]
    explained = {tuple(s["path"]): s for s in ranking["sections"]}
    assert all(explained[tuple(p)]["score"] == score and explained[tuple(p)]["holds_all"] for p, score in listed)
    assert all(set(FACTORS) <= set(s) for s in ranking["sections"])
    other = client.get("/search.json?q=执法 培训").get_json()["hits"][1]["file"]
    assert other == client.get(f"/explain.json?q=执法 培训&id={other}").get_json()["ranking"]["file"]
    page = client.get(f"/explain?q=执法 培训&id={other}").get_data(as_text=True)
    assert 'id="ranking"' in page and other in page
    assert None is client.get("/explain.json?q=执法&id=nope").get_json()["ranking"]
