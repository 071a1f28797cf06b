"""Reliability: whatever a user types, the query parser, the engine and the web answer (never an exception, never a
5xx), and a query too costly to answer is cut off with a message instead of running on.

Property-based (hypothesis) over arbitrary Unicode and over the query language's own pieces put in odd places:
lone quotes and brackets, operators alone, 与/或/非 anywhere, field scopes with empty values, wildcards, control
characters, and 10,000-character queries. The numbers tried are printed and written to tests/artifacts.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliability import record
from search import query as ql
from search.engine import Engine, QueryError, SearchRequest

PIECES = ["执法", "法", "警", "记录仪", "行政复议", "公安局", "2021", "２０２１", "執法", "ＡＢＣ", "abc", "😀",
          '"', "“", "”", "＂", "'", "(", ")", "（", "）", "[", "]", "{", "}",
          "OR", "or", "AND", "NOT", "或", "与", "非", "-", "--", "+", "|", "&&", "!",
          "标题:", "title:", "章节:", "heading:", "小标题:", "TITLE:", "标题：", ":", "：", "field:",
          "同句(", "同段(", "同句", "同段", "*", "?", "~", "^2", "法*", "*法", "法?", "[a TO b]",
          " ", "  ", "\u3000", "\t", "\n", "\r", "\x00", "\x01", "\x1f", "\x7f", "\u200b", "\ufeff", "\\", "/",
          "<script>", "&amp;", "%", "\ud7ff", "\U0010ffff", "︵", "︶"]
SEPARATORS = st.sampled_from(["", " ", "  ", "\u3000", "\t"])


@st.composite
def language_queries(draw) -> str:
    """Pieces of our query language (and of Whoosh's, which users must never reach) in any order."""
    parts = draw(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=24))
    return "".join(p + draw(SEPARATORS) for p in parts)


QUERIES = st.text(max_size=200) | language_queries()
MODES = st.sampled_from(["exact", "words"])


def long_queries() -> list[str]:
    """10,000-character queries: one character, terms, operators, brackets, quotes, a random mix (seeded)."""
    rnd = random.Random(7)
    mix = "".join(rnd.choice(PIECES) for _ in range(4000))[:10000]
    return ["法" * 10000, "执法 " * 2500, "(" * 10000, ")" * 10000, '"' * 10000, "-" * 10000, "非 " * 5000,
            "或 " * 5000, "标题:" * 3334, "同句(" * 3334, "(执法 OR " * 1250, mix,
            "".join(chr(rnd.randrange(0x20, 0x3000)) for _ in range(10000))]


TRIED: Counter = Counter()
SLOWEST: dict[str, float] = {}  # reported, never asserted (timing belongs in bench/)


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield
    record("queries", {**dict(TRIED), "slowest_ms": {k: round(1000 * v, 1) for k, v in SLOWEST.items()}})


def timed(kind: str, call):
    started = time.perf_counter()
    try:
        return call()
    finally:
        SLOWEST[kind] = max(SLOWEST.get(kind, 0.0), time.perf_counter() - started)


@pytest.fixture(scope="module")
def client(seed_index):
    from webui import create_app

    return create_app({"INDEX_DIR": str(seed_index)}).test_client()


def sizes(small: int, large: int):
    return pytest.mark.parametrize("examples", [small, pytest.param(large, marks=pytest.mark.slow)])


def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.large_base_example, HealthCheck.data_too_large])


def check_tree(node) -> int:
    """The tree is made of the language's node types only; returns its number of terms."""
    if node is None:
        return 0
    if isinstance(node, ql.Term):
        assert (str, True) == (type(node.text), node.scope in ("all", "title", "heading"))
        return 1
    if isinstance(node, ql.Near):
        assert node.unit in ("sentence", "paragraph")
        return len(node.terms)
    if isinstance(node, ql.Not):
        return check_tree(node.child)
    assert isinstance(node, (ql.And, ql.Or)) and len(node.children) >= 2
    return sum(check_tree(c) for c in node.children)


def check_parse(q: str) -> None:
    parsed = ql.parse(q)
    assert check_tree(parsed.tree) <= ql.MAX_TERMS
    assert all(isinstance(n, str) and n for n in parsed.notices)
    TRIED["parse"] += 1


@sizes(400, 5000)
def test_parser_never_fails(examples):
    @fuzz(examples)
    @given(QUERIES)
    def check(q):
        check_parse(q)

    check()


@pytest.mark.parametrize("q", long_queries(), ids=range(len(long_queries())))
def test_parser_takes_10000_characters(q):
    check_parse(q)


@pytest.mark.parametrize("q", ["同句(" + "执法 " * 200 + ")", "执法 " * 60 + "同段(" + "复议 " * 10 + ")",
                               "同句(" + "执法 " * 64 + ") 警"])
def test_the_term_cap_holds_inside_near_groups(q):
    parsed = ql.parse(q)
    assert (ql.MAX_TERMS, True) == (check_tree(parsed.tree), f"检索词过多，只使用前 {ql.MAX_TERMS} 个" in parsed.notices)


def check_search(engine: Engine, request: SearchRequest) -> None:
    """A result (JSON-serialisable, consistent) or a QueryError a user can read; nothing else."""
    try:
        result = timed("engine", lambda: engine.search(request)).to_dict()
    except QueryError as e:
        assert str(e)
        TRIED["engine refused (QueryError)"] += 1
    else:
        json.dumps(result, ensure_ascii=False)
        assert (True, True) == (len(result["hits"]) <= request.limit, result["total"] >= len(result["hits"]))
        TRIED["engine answered"] += 1
    TRIED["engine"] += 1


@sizes(150, 2500)
def test_engine_never_fails(engine, examples):
    @fuzz(examples)
    @given(QUERIES, MODES, st.sampled_from(["relevance", "year"]), st.integers(1, 3))
    def check(q, mode, sort, page):
        check_search(engine, SearchRequest(q=q, mode=mode, sort=sort, page=page))

    check()


@pytest.mark.parametrize("mode", ["exact", "words"])
@pytest.mark.parametrize("q", long_queries(), ids=range(len(long_queries())))
def test_engine_takes_10000_characters(engine, q, mode):
    check_search(engine, SearchRequest(q=q, mode=mode))


# --------------------------------------------------------------------------------------------------
# A time budget: a query too costly to answer is cut off with a message


def test_a_costly_query_is_cut_off_with_a_message(seed_index):
    """With no time to spend, a query that has to check positions is stopped with a QueryError saying so (the
    web shows it as a 400), and the same engine answers again once it has time."""
    from search.engine import QueryTimeout

    engine = Engine(seed_index, time_limit=0.0)
    try:
        with pytest.raises(QueryTimeout) as info:
            engine.search(SearchRequest(q="执法监督"))
        assert isinstance(info.value, QueryError) and "查询" in str(info.value)
        engine.time_limit = 60.0
        again = engine.search(SearchRequest(q="执法监督")).to_dict()  # nothing half-computed was kept
    finally:
        engine.close()
    fresh = Engine(seed_index)
    try:
        assert fresh.search(SearchRequest(q="执法监督")).to_dict() == again and again["total"] > 0
    finally:
        fresh.close()


def test_the_web_says_a_query_was_cut_off(seed_index):
    from webui import create_app

    app = create_app({"INDEX_DIR": str(seed_index)})
    with app.app_context():
        from webui.backend import get_engine

        get_engine().time_limit = 0.0
    client = app.test_client()
    for path in ("/search", "/search.json"):
        response = client.get(path, query_string={"q": "执法监督"})
        assert (400, True) == (response.status_code, "查询过于复杂" in response.get_data(as_text=True))


# --------------------------------------------------------------------------------------------------
# The web: /search and /search.json


def check_web(client, path: str, params: dict) -> int:
    response = timed("web", lambda: client.get(path, query_string=params))
    assert response.status_code in (200, 400), (path, params, response.status_code)
    assert response.headers.get("Content-Security-Policy")
    if path.endswith(".json"):
        body = response.get_json()
        assert ("error" in body) == (response.status_code == 400)
    TRIED[f"web {path}"] += 1
    TRIED[f"web {response.status_code}"] += 1
    return response.status_code


PARAM_VALUES = st.text(max_size=30) | st.sampled_from(["", "0", "-1", "1e9", "10000", "10001", "2021", "2020-2022",
                                                       "2022-2020", "abc", "１", "exact", "words", "year",
                                                       "relevance", "<script>", "%00", "\x00"])


@sizes(120, 1500)
@pytest.mark.parametrize("path", ["/search", "/search.json"])
def test_web_search_never_fails(client, path, examples):
    names = ["q", "mode", "sort", "page", "limit", "year", "year_from", "year_to", "province", "city", "county",
             "agency", "level", "sector", "kind"]

    @fuzz(examples)
    @given(QUERIES, MODES, st.dictionaries(st.sampled_from(names[1:]) | st.text(max_size=8), PARAM_VALUES,
                                           max_size=3))
    def check(q, mode, extra):
        check_web(client, path, {"q": q, "mode": mode, **extra})

    check()


@pytest.mark.parametrize("path", ["/search", "/search.json"])
@pytest.mark.parametrize("q", long_queries(), ids=range(len(long_queries())))
def test_web_refuses_10000_characters(client, path, q):
    assert 400 == check_web(client, path, {"q": q})


@pytest.mark.parametrize("path", ["/search", "/search.json", "/report/000_27c9d69931be37ee.txt"])
@pytest.mark.parametrize("q", ["(" * 300 + "法", "法" * 500, "同句(" + "的 " * 150 + ")", "非 " * 250, '"' * 500,
                               "（" * 499 + "法"], ids=range(6))
def test_web_worst_queries_within_the_limit(client, path, q):
    """The longest queries the web accepts (500 characters), in the shapes that cost most."""
    assert check_web(client, path, {"q": q}) in (200, 400)
