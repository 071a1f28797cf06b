"""The web UI through Flask's test client, on a real index of the five seeds: every page, its JSON twin,
the CSV export, bad parameters, escaping, security headers, and a missing or rebuilt index."""

import csv
import html
import io
import json
import re
import shutil
import time
from urllib.parse import unquote_plus, urlencode

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.analysis import normalize_text
from search.engine import REFRESH_SECONDS
from search.schema import FORMAT_FILE
from search.cli import main as search_cli
from search_helpers import build_index, make_report
from webui import create_app

QUERY = "执法"


def get_json(client, url, status=200):
    response = client.get(url)
    assert (status, "application/json") == (response.status_code, response.mimetype)
    return response.get_json()


def cli_json(index_dir, args) -> dict:
    result = CliRunner().invoke(search_cli, [*args, "--index-dir", str(index_dir), "--json"])
    assert 0 == result.exit_code, result.output
    return json.loads(result.output)


# --- /search.json is the object of `reports-search --json` ---------------------------------------------------------

@pytest.mark.parametrize("query_string, cli_args", [
    (f"q={QUERY}", [QUERY]),
    (f"q={QUERY}&mode=words", [QUERY, "--mode", "words"]),
    (f"q={QUERY}&sort=year&limit=2&page=2", [QUERY, "--sort", "year", "--limit", "2", "--page", "2"]),
    (f"q={QUERY}&province=广东", [QUERY, "--province", "广东"]),
    (f"q={QUERY}&year=2020-2021", [QUERY, "--year", "2020-2021"]),
    ("q=执法记录仪 -执法", ["执法记录仪 -执法"]),
    ("q=没有这个词语呀", ["没有这个词语呀"]),
])
def test_search_json_equals_the_cli_json(client, seed_index, query_string, cli_args):
    assert cli_json(seed_index, cli_args) == get_json(client, f"/search.json?{query_string}")


def test_search_html_renders_every_hit_with_its_marks(client):
    data = get_json(client, f"/search.json?q={QUERY}")
    page = client.get(f"/search?q={QUERY}").get_data(as_text=True)
    snippets = [s for hit in data["hits"] for sec in hit["sections"] for s in sec["snippets"]]
    assert data["total"] > 0
    assert len(data["hits"]) == page.count('<li class="hit">')
    assert sum(s.count("<mark>") for s in snippets) == page.count("<mark>")
    assert [f"/report/{hit['file']}?q={QUERY}" for hit in data["hits"]] == [
        _unquote(html.unescape(u)) for u in re.findall(r'<h3><a href="([^"]+)">', page)]


def test_a_hit_past_its_best_sections_links_to_the_rest_in_the_report(client):
    data = get_json(client, "/search.json?q=执法")
    page = client.get("/search?q=执法").get_data(as_text=True)
    expected = [(f"/report/{h['file']}?q=执法", f"另有 {h['sections_total'] - len(h['sections'])} 个章节含有匹配，见全文")
                for h in data["hits"] if h["sections_total"] > len(h["sections"])]
    assert expected and expected == [(_unquote(html.unescape(u)), t) for u, t in re.findall(
        r'<p class="more-sections"><a href="([^"]+)">([^<]+)</a></p>', page)]


def _facet_links(page: str, facet: str) -> dict[str, str]:
    return {html.unescape(value): html.unescape(href) for href, value in re.findall(
        rf'<a href="([^"]+)" data-facet="{facet}" data-value="([^"]+)"', page)}


def test_facet_toggle_urls_select_and_unselect(client):
    data = get_json(client, f"/search.json?q={QUERY}")
    links = _facet_links(client.get(f"/search?q={QUERY}").get_data(as_text=True), "city")
    counts = {v["value"]: v["count"] for v in data["facets"]["city"]}
    assert sorted(counts) == sorted(links)
    for city, href in links.items():
        assert f"/search?q={QUERY}&city={city}" == _unquote(href)
        selected = get_json(client, href.replace("/search?", "/search.json?"))
        assert counts[city] == selected["total"]
        again = _facet_links(client.get(href).get_data(as_text=True), "city")
        assert f"/search?q={QUERY}" == _unquote(again[city])  # the selected value's link unselects it


def _unquote(url: str) -> str:
    return unquote_plus(url)


def test_active_filters_are_removable_chips(client):
    page = client.get(f"/search?q={QUERY}&city=广州&year=2021&mode=words").get_data(as_text=True)
    chips = [(html.unescape(label).strip(), _unquote(html.unescape(href))) for href, label in re.findall(
        r'<li><a href="([^"]+)" title="移除此条件">([^<]+) <span', page)]
    assert [("城市：广州", f"/search?q={QUERY}&year=2021&mode=words"),
            ("年份：2021年", f"/search?q={QUERY}&city=广州&mode=words")] == chips


def test_zero_results_page_offers_the_words_mode(client):
    response = client.get("/search?q=没有这个词语呀")
    page = response.get_data(as_text=True)
    assert 200 == response.status_code
    assert "没有找到包含“没有这个词语呀”的报告" in page
    assert 'href="/search?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E8%AF%8D%E8%AF%AD%E5%91%80&amp;mode=words"' in page


def test_exact_search_finding_little_links_to_the_words_mode(client):
    exact = get_json(client, "/search.json?q=规范执法监督")
    page = client.get("/search?q=规范执法监督").get_data(as_text=True)
    href, text = re.search(r'<p class="notice broaden">([^<]*)<a href="([^"]+)" id="words-link">', page).group(2, 1)
    words = get_json(client, html.unescape(href).replace("/search?", "/search.json?"))
    assert (0, "words") == (exact["total"], exact["suggestion"]["mode"])
    assert "/search?q=规范执法监督&mode=words" == _unquote(html.unescape(href))
    assert (exact["suggestion"]["total"], f"精确匹配没有找到报告，按词匹配可找到 {words['total']} 份：") == (
        words["total"], text)


# --- bad parameters: 400 with a message, as HTML and as JSON --------------------------------------------------------

BAD = [
    ("mode=xyz", "参数 mode 只能是 exact 或 words，收到“xyz”"),
    ("page=1000000000", "参数 page 应在 1 到 10000 之间，收到 1000000000"),
    ("year=abc", "参数 year 应为四位年份（如 2021），收到“abc”"),
    ("q=" + "警" * 10000, "查询过长（10000 个字符），最多 500 个字符"),
    ("sort=<script>", "参数 sort 只能是 relevance 或 year，收到“<script>”"),
    ("facet=color", "未知参数：facet。可用参数：agency、city、county、kind、level、limit、mode、page、province、q、"
                    "sector、sort、year、year_from、year_to"),
]


# a page past the last one is an error for the paged views; the CSV export ignores paging
PAST_THE_END = [("q=没有这个词语呀&page=2", "页码 2 超出范围：共 1 页"), ("page=999", "页码 999 超出范围：共 1 页")]


@pytest.mark.parametrize("query_string, message", BAD + PAST_THE_END)
def test_bad_parameters_are_400_json(client, query_string, message):
    assert {"error": message} == get_json(client, f"/search.json?{query_string}", 400)


@pytest.mark.parametrize("query_string, message", BAD)
@pytest.mark.parametrize("path", ["/search", "/search.csv"])
def test_bad_parameters_are_400_pages(client, path, query_string, message):
    response = client.get(f"{path}?{query_string}")
    assert (400, "text/html") == (response.status_code, response.mimetype)
    assert f'<p class="message">{html.escape(message, quote=True)}</p>' in response.get_data(as_text=True)


@pytest.mark.parametrize("query_string, message", PAST_THE_END)
def test_page_past_the_end_is_400_page(client, query_string, message):
    response = client.get(f"/search?{query_string}")
    assert (400, f'<p class="message">{message}</p>') == (
        response.status_code, re.search(r'<p class="message">.*?</p>', response.get_data(as_text=True)).group(0))


# --- /search.csv ---------------------------------------------------------------------------------------------------

def test_csv_has_one_row_per_matching_section(client, seed_index):
    response = client.get(f"/search.csv?q={QUERY}&page=2&limit=1")  # paging is ignored: the export takes all
    body = response.data
    assert ("text/csv", b"\xef\xbb\xbf") == (response.mimetype, body[:3])
    assert "attachment" in response.headers["Content-Disposition"]
    data = cli_json(seed_index, [QUERY, "--limit", "10000", "--every-section"])
    expected = [[hit["agency"] or "", hit["province"] or "", hit["city"] or "", str(hit["year"] or ""),
                 sec["heading"] or "", " … ".join(html.unescape(re.sub("</?mark>", "", s)) for s in sec["snippets"]),
                 f"http://localhost/report/{hit['file']}?q={QUERY}"
                 + (f"#s-{sec['index']}" if sec["index"] >= 0 else "")]
                for hit in data["hits"] for sec in hit["sections"]]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert ["agency", "province", "city", "year", "heading", "snippet", "link"] == rows[0][:7]
    assert expected == [row[:6] + [_unquote(row[6])] for row in rows[1:]]
    assert body.count(b"\r\n") == len(rows)


@pytest.mark.parametrize("query", ["执法", "执法 监督", "法治"])
def test_csv_rows_are_every_section_holding_the_query_not_only_the_listed_ones(client, seed_index, query):
    """Each hit lists its best sections; the export has every section with a counted match, best first."""
    q = query.replace(" ", "+")
    listed = cli_json(seed_index, [query, "--limit", "10000"])
    every = cli_json(seed_index, [query, "--limit", "10000", "--every-section"])
    assert [h["file"] for h in listed["hits"]] == [h["file"] for h in every["hits"]]
    for shown, whole in zip(listed["hits"], every["hits"]):
        assert shown["sections"] == whole["sections"][:len(shown["sections"])]
    rows = list(csv.reader(io.StringIO(client.get(f"/search.csv?q={q}").data.decode("utf-8-sig"), newline="")))
    assert sum(len(h["sections"]) for h in every["hits"]) == len(rows) - 1
    if query == "执法":  # one term: every occurrence in the report's text is in one exported section
        for hit in every["hits"]:
            text = get_json(client, f"/report.json?id={hit['file']}")["report"]["text"]
            assert normalize_text(text).count(query) == sum(sec["matches"] for sec in hit["sections"]), hit["file"]


# --- /report/<id> --------------------------------------------------------------------------------------------------

def test_report_page_has_toc_marks_and_permalinks(client, truth):
    seed = truth[0]
    data = get_json(client, f"/report.json?id={seed['file']}&q={QUERY}")
    page = client.get(f"/report/{seed['file']}?q={QUERY}").get_data(as_text=True)
    text = data["report"]["text"]
    assert normalize_text(text).count(QUERY) == len(data["matches"])
    assert [QUERY] * len(data["matches"]) == [text[m["start"]:m["end"]] for m in data["matches"]]
    assert [f"m-{i}" for i in range(1, len(data["matches"]) + 1)] == re.findall(r'<mark id="([^"]+)">', page)
    toc = [html.unescape(h) for h in re.findall(r'<li class="level-\d"><a href="#s-\d+">([^<]+)</a>', page)]
    assert [s["heading"] for s in data["report"]["sections"] if s["level"] <= 2] == toc
    paragraphs = re.findall(
        r'<p id="(p-\d+)"[^>]*>(?:<span class="anchor" id="s-\d+"></span>)*<a class="pl" href="#(p-\d+)"', page)
    assert paragraphs and all(a == b for a, b in paragraphs)


def test_report_without_query_has_no_marks(client, truth):
    data = get_json(client, f"/report.json?id={truth[0]['file']}")
    page = client.get(f"/report/{truth[0]['file']}").get_data(as_text=True)
    assert ([], 0) == (data["matches"], page.count("<mark"))


@pytest.mark.parametrize("path", [
    "/report/nothing-here.txt",
    "/report/../corpus/000_27c9d69931be37ee.txt",
    "/report/%2e%2e/corpus/000_27c9d69931be37ee.txt",
    "/report//etc/passwd",
    "/report/corpus%2F000_27c9d69931be37ee.txt",
    "/report/./000_27c9d69931be37ee.txt",
    "/report/..%5C000_27c9d69931be37ee.txt",
])
def test_unknown_or_path_like_report_ids_are_404(client, path):
    response = client.get(path, follow_redirects=True)  # werkzeug first merges "//" with a redirect
    assert (404, "text/html") == (response.status_code, response.mimetype)


@pytest.mark.parametrize("report_id", ["nothing-here.txt", "../000_27c9d69931be37ee.txt", "/etc/passwd", ""])
def test_report_json_404(client, report_id):
    assert "error" in get_json(client, f"/report.json?id={report_id}", 404)


def test_report_json_rejects_unknown_parameters(client, truth):
    assert {"error": "未知参数：city。可用参数：copies、id、min_chars、mode、q、quotes、source"} == get_json(
        client, f"/report.json?id={truth[0]['file']}&city=广州", 400)


# --- / --------------------------------------------------------------------------------------------------------------

def test_overview_counts_come_from_the_empty_search(client, seed_index, truth):
    everything = get_json(client, "/search.json?limit=10000")
    overview = get_json(client, "/overview.json")
    facet = {name: {v["value"]: v["count"] for v in everything["facets"][name]}
             for name in ("year", "province", "agency")}
    assert len(truth) == overview["total"] == everything["total"]
    assert facet["year"] == {v["value"]: v["count"] for v in overview["by_year"]}
    assert facet["province"] == {v["value"]: v["count"] for v in overview["by_province"]}
    assert facet["agency"] == {v["value"]: v["count"] for v in overview["agencies"]}
    page = client.get("/").get_data(as_text=True)
    for hit in overview["newest"]:
        assert f'href="/report/{hit["file"]}"' in page


# --- safety ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", f"/search?q={QUERY}", "/search?q=没有这个词语呀", "/report/000_27c9d69931be37ee.txt",
                                 "/search?mode=xyz", "/report/none", "/nowhere"])
def test_every_page_has_csp_and_no_inline_script(client, url):
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "nosniff" == response.headers["X-Content-Type-Options"]
    assert [] == re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert [] == re.findall(r"\son\w+=", page)


EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def evil_client(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("evil-index")
    text = f"关于执法的报告{EVIL}\n一、执法检查\n开展执法检查<img src=x onerror=alert(2)>，{EVIL}执法记录仪全覆盖。\n"
    build_index(index_dir, [make_report("evil/report.txt", text, title=f"{EVIL}报告", agency="某市公安局",
                                        province="广东", city="广州", year=2021,
                                        source_url="javascript:alert(3)")])
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


@pytest.mark.parametrize("url", ["/", "/search?q=执法", "/search?q=<script>", "/search?q=script",
                                 "/report/evil/report.txt?q=执法", "/report/evil/report.txt?q=<script>"])
def test_report_text_and_query_are_escaped(evil_client, url):
    page = evil_client.get(url).get_data(as_text=True)
    assert 200 == evil_client.get(url).status_code
    assert "<script>alert" not in page and "<img" not in page and "javascript:" not in page
    assert "&lt;script&gt;" in page or "&lt;/script&gt;" in page


def test_evil_report_text_is_shown_as_text(evil_client):
    page = evil_client.get("/report/evil/report.txt").get_data(as_text=True)
    assert "开展执法检查&lt;img src=x onerror=alert(2)&gt;，&lt;script&gt;alert(1)&lt;/script&gt;执法记录仪全覆盖。" in page


# --- the index: missing, then built, then rebuilt, without a restart ------------------------------------------------

def test_missing_index_is_503_until_it_is_built(tmp_path):
    index_dir = tmp_path / "index"
    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    response = client.get("/search?q=执法")
    assert (503, "text/html") == (response.status_code, response.mimetype)
    assert "reports-index build" in response.get_data(as_text=True)
    assert "reports-index build" in get_json(client, "/search.json?q=执法", 503)["error"]
    build_index(index_dir, [make_report("a.txt", "一、执法检查\n执法记录仪\n", year=2021)])
    assert ["a.txt"] == [h["file"] for h in get_json(client, "/search.json?q=执法")["hits"]]


def test_rebuilt_index_is_served_without_restart(tmp_path, corpus_dir, truth):
    from indexer.build import build

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for seed in truth[:2]:
        shutil.copy(corpus_dir / seed["file"], corpus / seed["file"])
    build(corpus, index_dir, workers=1)
    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    assert 2 == get_json(client, "/search.json")["total"]
    page = client.get("/search?q=公安").get_data(as_text=True)
    assert "找到 2 份报告" in page and page == client.get("/search?q=公安").get_data(as_text=True)  # kept, the same
    shutil.copy(corpus_dir / truth[2]["file"], corpus / truth[2]["file"])
    build(corpus, index_dir, workers=1)
    time.sleep(REFRESH_SECONDS)  # the engine looks for a new generation at most this often
    assert 3 == get_json(client, "/search.json")["total"]
    assert "找到 3 份报告" in client.get("/search?q=公安").get_data(as_text=True)  # never the kept page of before
    assert 200 == client.get(f"/report/{truth[2]['file']}").status_code


# --- long facet lists and paging (an index of twelve small reports) -------------------------------------------------

@pytest.fixture(scope="module")
def many_index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("many-index")
    reports = [make_report(f"r{i:02d}.txt", f"一、执法检查\n第{i}份报告的执法记录仪。\n", agency=f"第{i:02d}市公安局",
                           province="广东", city=f"城{i:02d}", year=2010 + i) for i in range(1, 13)]
    build_index(index_dir, reports)
    return index_dir


@pytest.fixture(scope="module")
def many_client(many_index):
    return create_app({"INDEX_DIR": str(many_index), "TESTING": True}).test_client()


def _facet_values(page: str, facet: str) -> tuple[list[str], list[str]]:
    """(values shown, values under 更多) of one facet, in page order."""
    block = re.search(rf'<section class="facet" data-facet="{facet}">(.*?)</section>', page, re.S).group(1)
    top, _, more = block.partition("<details>")
    return (re.findall(r'data-value="([^"]+)"', top), re.findall(r'data-value="([^"]+)"', more))


def test_long_facet_lists_fold_under_more_with_selected_first(many_client):
    page = many_client.get("/search?q=执法&city=城12").get_data(as_text=True)
    top, more = _facet_values(page, "city")
    assert (8, 4) == (len(top), len(more))
    assert "城12" == top[0]
    assert sorted(top + more) == [f"城{i:02d}" for i in range(1, 13)]
    assert "<summary>更多（4）</summary>" in page


def test_past_the_more_list_the_rarest_values_are_counted_and_left_to_the_json(many_index, monkeypatch):
    from webui.pages import results

    monkeypatch.setattr(results, "FACET_MORE", 2)
    many_client = create_app({"INDEX_DIR": str(many_index), "TESTING": True}).test_client()  # its own page memo
    page = many_client.get("/search?q=执法&city=城12").get_data(as_text=True)
    top, more = _facet_values(page, "city")
    everything = [v["value"] for v in many_client.get("/search.json?q=执法&city=城12").get_json()["facets"]["city"]]
    assert (top + more, len(everything)) == ((["城12"] + [v for v in everything if v != "城12"])[:10], 12)
    assert "<summary>更多（4）</summary>" in page
    assert ('<p class="unlisted"><a href="/facet?facet=city&amp;q=%E6%89%A7%E6%B3%95&amp;city=%E5%9F%8E12">'
            "另有 2 项（计数较少）未列出：查看全部 12 项</a></p>") in page


def test_pager_links(many_client):
    page = many_client.get("/search?q=执法&limit=3&page=2").get_data(as_text=True)
    nav = re.search(r'<nav class="pager".*?</nav>', page, re.S).group(0)
    links = [(_unquote(html.unescape(href)), label)
             for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)]
    base = f"/search?q={QUERY}&limit=3"
    assert [(base, "上一页"), (base, "1"), (base + "&page=2", "2"), (base + "&page=3", "3"), (base + "&page=4", "4"),
            (base + "&page=3", "下一页")] == links
    assert "找到 12 份报告，第 2 / 4 页" in page


# --- whatever the query string, an answer and never a 500 -----------------------------------------------------------

NAMES = ["q", "mode", "sort", "page", "limit", "year", "year_from", "year_to", "province", "city", "kind", "level"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.text(max_size=12)), max_size=4))
def test_any_query_string_is_200_or_400(client, pairs):
    for path in ("/search.json", "/search"):
        response = client.get(f"{path}?{urlencode(pairs)}")
        # 302: a typed filter value (广东省) sent on to the index's own (广东)
        assert response.status_code in (200, 302, 400), (pairs, response.get_data(as_text=True)[:300])
        if path.endswith(".json") and response.status_code == 400:
            assert ["error"] == list(response.get_json())


@pytest.mark.parametrize("env, expected", [({}, "index"), ({"REPORTS_INDEX_DIR": "/srv/reports/index"},
                                                            "/srv/reports/index")])
def test_index_dir_comes_from_the_environment(monkeypatch, tmp_path, env, expected):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REPORTS_INDEX_DIR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = create_app()
    assert (str(tmp_path / expected) if expected == "index" else expected) == app.config["INDEX_DIR"]


def test_outdated_index_is_503_asking_for_a_rebuild(tmp_path):
    index_dir = tmp_path / "index"
    build_index(index_dir, [make_report("a.txt", "一、执法检查\n", year=2021)])
    (index_dir / FORMAT_FILE).write_text('{"format_version": 0}', encoding="utf-8")
    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    error = get_json(client, "/search.json?q=执法", 503)["error"]
    assert error.startswith("索引格式与本程序不符，请运行 reports-index build --rebuild 重建索引。")


# --- metadata evidence on the report page ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def evidence_client(tmp_path_factory):
    """An index of two metadata fixtures: one whose city the address leaves open, one named in its signature."""
    from indexer.build import build
    from webui import create_app

    corpus = tmp_path_factory.mktemp("evidence-corpus")
    fixtures = FIXTURES / "metadata"
    for name in ("02_signature.txt", "13_url_ambiguous_open.txt"):
        shutil.copy(fixtures / name, corpus / name)
    index_dir = tmp_path_factory.mktemp("evidence-index")
    build(corpus, index_dir, workers=1)
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def test_report_page_shows_each_fields_evidence_on_hover(evidence_client):
    page = evidence_client.get("/report/02_signature.txt").get_data(as_text=True)
    assert '<dt>机关</dt><dd title="依据：落款「株洲市司法局」">株洲市司法局</dd>' in page
    assert "待核实" not in page
    data = get_json(evidence_client, "/report.json?id=02_signature.txt")
    assert {"source": "signature", "text": "株洲市司法局"} == data["report"]["evidence"]["city"]


def test_report_page_marks_uncertain_fields(evidence_client):
    page = evidence_client.get("/report/13_url_ambiguous_open.txt").get_data(as_text=True)
    assert ('<div class="uncertain"><dt>城市</dt><dd title="依据：网页地址「gaj.fuzhou.gov.cn: 福州市（福建） / '
            '抚州市（江西）」">未定<span class="uncertain-mark">（待核实）</span></dd></div>') in page


# --- filter values as people type them; unknown ones are a 400 linking close values ---------------------------------

@pytest.mark.parametrize("typed, stored", [
    ("province=广东省&city=汕头市", "province=广东&city=汕头"),
    ("county=萧山", "county=萧山区"),
    ("agency=四平", "agency=四平市公安局"),
    ("province=廣東&year=2020", "province=广东&year=2020"),
])
def test_typed_filter_values_redirect_to_the_index_values(client, typed, stored):
    response = client.get(f"/search?q=公安&{typed}")
    canonical = client.get(f"/search?q=公安&{stored}")
    assert (302, f"/search?q=公安&{stored}", 200) == (
        response.status_code, unquote_plus(response.headers["Location"]), canonical.status_code)
    assert get_json(client, f"/search.json?q=公安&{stored}") == get_json(client, f"/search.json?q=公安&{typed}")


def error_page(response) -> tuple:
    page = response.get_data(as_text=True)
    message = html.unescape(re.search(r'<p class="message">(.*?)</p>', page).group(1))
    links = [(unquote_plus(html.unescape(href)), label)
             for href, label in re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', page)]
    return response.status_code, message, links


@pytest.mark.parametrize("path, query_string, message, links", [
    ("/search", "q=公安&province=广州省", "索引中没有省份“广州省”。相近的值：",
     [("/search?q=公安&province=广东", "广东")]),
    ("/search", "q=公安&kind=问题", "索引中没有章节类别“问题”。相近的值：", [("/search?q=公安&kind=问题不足", "问题不足")]),
    ("/search", "level=bogus", "索引中没有层级“bogus”。可选的值：",
     [("/search?level=city", "市级"), ("/search?level=district", "区级")]),
    ("/search", "q=执法&agency=公安&page=2", "机关“公安”对应多个值，请选择其一：",
     [(f"/search?q=执法&agency={a}", a) for a in ("四平市公安局", "广州市公安局", "汕头市公安局", "江门市公安局",
                                                  "杭州市公安局萧山区分局")]),
    ("/matrix", "q=执法&city=杭洲", "索引中没有城市“杭洲”。相近的值：", [("/matrix?q=执法&city=杭州", "杭州")]),
    ("/search", "q=公安&page=9", "页码 9 超出范围：共 1 页", [("/search?q=公安", "转到最后一页（第 1 页）")]),
    ("/search", "q=公安&limit=2&page=9", "页码 9 超出范围：共 3 页",
     [("/search?q=公安&limit=2&page=3", "转到最后一页（第 3 页）")]),
])
def test_unknown_values_and_pages_are_400_pages_linking_what_to_choose(client, path, query_string, message, links):
    assert (400, message, links) == error_page(client.get(f"{path}?{query_string}"))


@pytest.mark.parametrize("query_string, message", [
    ("q=公安&province=广州省", "索引中没有省份“广州省”。相近的值：广东"),
    ("q=公安&kind=bogus", "索引中没有章节类别“bogus”。可选的值：举措成效、问题不足、第一责任人、下年安排、其他"),
    ("q=公安&limit=2&page=9", "页码 9 超出范围：共 3 页"),
])
def test_unknown_values_are_400_json(client, query_string, message):
    assert {"error": message} == get_json(client, f"/search.json?{query_string}", 400)


def test_several_years_are_a_set_like_the_cli(client, seed_index):
    data = get_json(client, "/search.json?q=公安&year=2021&year=2023")
    page = client.get("/search?q=公安&year=2021&year=2023").get_data(as_text=True)
    assert cli_json(seed_index, ["公安", "--year", "2021", "--year", "2023"]) == data
    assert ([2021, 2023], 2) == (sorted(v["value"] for v in data["facets"]["year"] if v["selected"]), data["total"])
    assert ["年份：2021年", "年份：2023年"] == re.findall(r"年份：\d{4}年", page)


def test_results_page_offers_did_you_mean_and_the_other_form_of_a_short_name(client):
    page = client.get("/search?q=执发").get_data(as_text=True)
    assert 'id="did-you-mean">执法</a>' in page
    data = client.get("/search.json?q=两法衔接").get_json()
    assert [("两法衔接", "行政执法与刑事司法衔接")] == [(o["term"], o["means"]) for o in data["also"]]
    page = client.get("/search?q=两法衔接").get_data(as_text=True)
    assert "也可检索：" in page and "两法衔接 即 行政执法与刑事司法衔接" in page
