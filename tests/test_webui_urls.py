"""webui.urls: every link of the UI is built from the current query string (datasette-style helpers)."""

import pytest
from werkzeug.datastructures import MultiDict

from webui import urls

ARGS = [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("page", "3")]


@pytest.mark.parametrize("args, expected", [
    ([], "/search"),
    ([("q", "")], "/search"),
    ([("q", "a b")], "/search?q=a+b"),
    ([("q", "&=?#")], "/search?q=%26%3D%3F%23"),
    ([("city", "广州")], "/search?city=%E5%B9%BF%E5%B7%9E"),
    ([("city", "a"), ("city", "b")], "/search?city=a&city=b"),
])
def test_path_with_args(args, expected):
    assert expected == urls.path_with_args("/search", args)


def test_args_of_keeps_repeated_parameters_in_order():
    assert ARGS == urls.args_of(MultiDict(ARGS))


@pytest.mark.parametrize("added, expected", [
    ([("city", "杭州")], [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("city", "杭州")]),
    ([("city", "广州")], [("q", "执法 记录仪"), ("city", "深圳"), ("city", "广州")]),
    ([("province", "广东")], [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("province", "广东")]),
])
def test_with_added_drops_the_page(added, expected):
    assert urls.path_with_args("/s", expected) == urls.with_added("/s", ARGS, added)


@pytest.mark.parametrize("args", [ARGS, [], [("page", "2")], [("q", "")], [("city", "广州"), ("mode", "words")],
                                  [("q", "a&b"), ("year", "2021"), ("page", "4"), ("city", "")]])
@pytest.mark.parametrize("name", ["city", "province", "year", "page", "q"])
def test_an_adder_makes_the_urls_with_added_makes(args, name):
    add = urls.adder("/s", args, name)
    for value in ["杭州", "广州", "深圳", "", " 广州", "a b&c=d", "2021", "3"]:
        assert urls.with_added("/s", args, [(name, value)]) == add(value)


@pytest.mark.parametrize("name, value, expected", [
    ("city", "广州", [("q", "执法 记录仪"), ("city", "深圳")]),
    ("city", None, [("q", "执法 记录仪")]),
    ("city", "杭州", [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳")]),
    ("page", None, [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳")]),
])
def test_with_removed(name, value, expected):
    assert urls.path_with_args("/s", expected) == urls.with_removed("/s", ARGS, name, value)


@pytest.mark.parametrize("name, value, also, expected", [
    ("page", "4", (), [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("page", "4")]),
    ("mode", "words", (), [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("mode", "words")]),
    ("year", "2021", ("year_from", "year_to"), [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"),
                                                 ("year", "2021")]),
    ("city", None, (), [("q", "执法 记录仪")]),
])
def test_with_replaced(name, value, also, expected):
    assert urls.path_with_args("/s", expected) == urls.with_replaced("/s", ARGS, name, value, *also)


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


@pytest.mark.parametrize("call, expected", [
    (lambda: urls.report_url("a/b.txt"), "/report/a/b.txt"),
    (lambda: urls.report_url("a.txt", "执法", "words", _anchor="s-2"),
     "/report/a.txt?q=%E6%89%A7%E6%B3%95&mode=words#s-2"),
    (lambda: urls.report_url("a.txt", "", "exact"), "/report/a.txt"),
    (lambda: urls.related_url("a.txt", 3), "/related?id=a.txt&section=3"),
    (lambda: urls.query_search_url("a b", "exact"), "/search?q=a+b"),
    (lambda: urls.query_search_url("a", "words"), "/search?q=a&mode=words"),
])
def test_links_between_pages(request_context, call, expected):
    assert expected == call()


@pytest.mark.parametrize("section, expected", [
    ({"index": 4}, {"_anchor": "s-4"}), ({"index": 0}, {"_anchor": "s-0"}), ({"index": -1}, {}), ({}, {}),
])
def test_section_anchor(section, expected):
    assert expected == urls.section_anchor(section)


@pytest.mark.parametrize("values, expected", [
    (None, "/search?q=%E6%89%A7%E6%B3%95&mode=words&city=%E5%B9%BF%E5%B7%9E&year=2020-2022"),
    ({"year": 2021}, "/search?q=%E6%89%A7%E6%B3%95&mode=words&city=%E5%B9%BF%E5%B7%9E&year=2021"),
    ({"province": "广东"},
     "/search?q=%E6%89%A7%E6%B3%95&mode=words&city=%E5%B9%BF%E5%B7%9E&year=2020-2022&province=%E5%B9%BF%E4%B8%9C"),
    ({"province": None}, None),  # an unknown value: no filter says so
])
def test_search_url_narrows_a_request(request_context, values, expected):
    from search.engine import SearchRequest

    request = SearchRequest(q="执法", mode="words", city=["广州"], year_from=2020, year_to=2022)
    assert expected == urls.search_url(request, values)


def test_every_facet_has_a_label_in_the_sidebars_order():
    from search.schema import FACETS
    from webui.labels import FACET_LABELS
    from webui.pages.results import FACET_ORDER

    assert (sorted(FACETS), ("province", "city", "county", "agency", "year", "level", "sector", "kind")) == (
        sorted(FACET_LABELS), FACET_ORDER)


def test_every_page_has_its_twins(app):
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert {"webui.home": "/", "webui.home_json": "/overview.json", "webui.search": "/search",
            "webui.search_json": "/search.json", "webui.search_csv": "/search.csv", "webui.facet": "/facet",
            "webui.facet_json": "/facet.json",
            "webui.report": "/report/<path:report_id>", "webui.report_json": "/report.json",
            "webui.matrix": "/matrix", "webui.matrix_json": "/matrix.json", "webui.matrix_csv": "/matrix.csv",
            "webui.trend": "/trend", "webui.trend_json": "/trend.json", "webui.compare": "/compare",
            "webui.compare_json": "/compare.json", "webui.explain": "/explain", "webui.explain_json": "/explain.json",
            "webui.related": "/related", "webui.related_json": "/related.json",
            "webui.search_xlsx": "/search.xlsx", "webui.matrix_xlsx": "/matrix.xlsx",
            "webui.compliance": "/compliance", "webui.compliance_json": "/compliance.json",
            "webui.compliance_xlsx": "/compliance.xlsx", "webui.overlap": "/overlap", "webui.overlap_json": "/overlap.json",
            "webui.overlap_csv": "/overlap.csv", "webui.overlap_xlsx": "/overlap.xlsx", "webui.excerpts": "/excerpts",
            "webui.excerpts_json": "/excerpts.json", "webui.excerpts_docx": "/excerpts.docx",
            "webui.excerpts_xlsx": "/excerpts.xlsx"} == rules
