"""search.hits: the sections shown for each report, their snippets, heading and 同句/同段 scopes."""

import pytest

from search.analysis import normalize_text
from search.engine import Engine, SearchRequest
from search.hits import SECTIONS_SHOWN
from search.storedtexts import StoredText
from search_helpers import build_index, make_report


def test_sections_snippets_and_heading_paths(engine):
    result = engine.search(SearchRequest(q="执法记录仪"))
    sections = [s for h in result.hits for s in h["sections"]]
    assert sections
    for s in sections:
        assert s["matches"] == sum(x.count("<mark>") for x in s["snippets"]) or len(s["snippets"]) == 3
        assert all("<mark>执法记录仪</mark>" in x for x in s["snippets"])
        assert s["path"][-1] == s["heading"]


@pytest.mark.parametrize("q", ["执法记录仪", "问题", "2022", "公安"])
def test_each_snippet_names_its_paragraph_of_the_whole_report(engine, q):
    """A section's stored paragraph base and its own text give the paragraph (``#p-N``: the report's non-empty
    lines) where the whole report has the snippet."""
    import html
    import re

    from search.analysis import paragraph_lines

    checked = 0
    for hit in engine.search(SearchRequest(q=q, limit=50)).hits:
        text = engine.report(hit["file"])["text"]
        lines = list(paragraph_lines(text))
        for section in hit["sections"]:
            assert len(section["snippets"]) == len(section["paragraphs"])
            for snippet, n in zip(section["snippets"], section["paragraphs"]):
                shown = html.unescape(re.sub(r"<[^>]+>", "", snippet)).strip("…")
                at = text.find(shown, section["offsets"]["own_start"])
                assert (at >= 0, n) == (True, next(k for k, s, e, _ in lines if s <= at < e)), (hit["file"], snippet)
                checked += 1
    assert checked


@pytest.mark.parametrize("q", ["执法", "公安", "2022", "执法 监督", "同句(执法 监督)", "章节:问题", "法治"])
def test_a_hit_lists_its_best_sections_and_counts_the_rest_as_an_uncapped_listing_would(engine, q):
    from search.hits import hits
    from search.matching import evaluate
    from search.plan import QueryPlan
    from search.ranking import order

    with engine.reading() as st:
        plan = QueryPlan.of(q, "exact")
        ordered, scores, scored = order(st, plan, evaluate(st, plan.tree, plan.kmask), "relevance")
        shown = ordered[:50].tolist()
        capped = hits(st, plan, shown, scores, scored)
        uncapped = hits(st, plan, shown, scores, scored, sections_shown=10**6)
    assert any(h["sections_total"] > SECTIONS_SHOWN for h in uncapped) or not q.isalnum()  # capped somewhere
    assert [(h["file"], h["sections"][:SECTIONS_SHOWN], len(h["sections"])) for h in uncapped] == [
        (h["file"], h["sections"], h["sections_total"]) for h in capped]


def test_snippets_escape_report_text(tmp_path):
    text = "一、总体情况\n页面出现<script>alert('x')</script>执法记录仪&更多。\n"
    build_index(tmp_path, [make_report("x.txt", text, title="测试报告")])
    result = Engine(tmp_path).search(SearchRequest(q="执法记录仪"))
    [snippet] = result.hits[0]["sections"][0]["snippets"]
    assert "页面出现&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<mark>执法记录仪</mark>&amp;更多。" == snippet


def test_sections_shown_for_a_near_group_satisfy_it(kind_engine):
    hit = kind_engine.search(SearchRequest(q="同句(执法 记录仪)")).hits[0]
    assert [["一、主要举措"]] == [s["path"] for s in hit["sections"]]
    assert ["<mark>执法</mark><mark>记录仪</mark>全面配备。"] == hit["sections"][0]["snippets"]


@pytest.mark.parametrize("word", ["问题", "执法", "2022"])
def test_heading_scope_lists_exactly_the_sections_whose_heading_holds_the_term(engine, corpus_dir, word):
    from indexer.parse import parse_file

    expected = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        report = parse_file(path, root=corpus_dir)
        headings = sorted(s.heading for s in report.sections if word in normalize_text(s.heading))
        if headings:
            expected[report.file] = headings
    every = engine.search(SearchRequest(q=f"章节:{word}", limit=100, every_section=True)).to_dict()
    assert expected == {h["file"]: sorted(s["heading"] for s in h["sections"]) for h in every["hits"]}
    shown = engine.search(SearchRequest(q=f"章节:{word}", limit=100)).to_dict()  # the best few, all counted
    assert ({f: len(v) for f, v in expected.items()}, {f: min(len(v), SECTIONS_SHOWN) for f, v in expected.items()}) == (
        {h["file"]: h["sections_total"] for h in shown["hits"]}, {h["file"]: len(h["sections"]) for h in shown["hits"]})


def test_hits_without_sections_list_the_same_reports(engine):
    full = engine.search(SearchRequest(q="执法", limit=100))
    bare = engine.search(SearchRequest(q="执法", limit=100, sections=False))
    assert [h["file"] for h in full.hits] == [h["file"] for h in bare.hits]
    assert {0} == {len(h["sections"]) for h in bare.hits}


STORED = {"text": "一、执法情况\n执法记录仪全面配备。局长信箱开通。\n", "heading": "一、执法情况", "path": ["一、执法情况"],
          "kinds": ["举措成效"], "offsets": {"index": 0, "start": 0, "end": 26, "body_start": 6,
                                                     "para": 1}}


@pytest.mark.parametrize("q, spans, snippets, paragraphs", [
    ("执法", [(2, 4, 0), (7, 9, 0)], ["一、<mark>执法</mark>情况", "<mark>执法</mark>记录仪全面配备。"], [1, 2]),
    ("章节:执法", [(2, 4, 0)], ["一、<mark>执法</mark>情况"], [1]),  # the heading's match only
    ("同句(执法 局长) 信箱", [(20, 22, 2)], ["局长<mark>信箱</mark>开通。"], [2]),  # the group is not in one sentence
    ("同段(执法 局长)", [(2, 4, 0), (7, 9, 0), (17, 19, 1)],
     ["一、<mark>执法</mark>情况", "<mark>执法</mark>记录仪全面配备。", "<mark>局长</mark>信箱开通。"], [1, 2, 2]),
])
def test_section_hit_counts_the_matches_the_plan_allows(q, spans, snippets, paragraphs):
    from search.hits import section_hit
    from search.plan import QueryPlan

    assert {"heading": "一、执法情况", "path": ["一、执法情况"], "kinds": ["举措成效"], "matches": len(spans),
            "snippets": snippets, "paragraphs": paragraphs, "score": 1.2346, "index": 0,
            "offsets": STORED["offsets"]} == section_hit(StoredText(STORED), QueryPlan.of(q), 0, 1.23456)


def test_a_section_without_counted_matches_is_no_hit():
    from search.hits import section_hit
    from search.plan import QueryPlan

    assert None is section_hit(StoredText(STORED), QueryPlan.of("同句(执法 信访)"), 0, 1.0)


def test_satisfied_near_terms():
    from search.hits import satisfied_near_terms
    from search.query import Near

    nears = [Near("sentence", ("执法", "局长")), Near("sentence", ("局长", "开通")), Near("paragraph", ("执法", "信箱"))]
    norm = normalize_text(STORED["text"])
    assert {"局长", "开通", "执法", "信箱"} == satisfied_near_terms(norm, nears)
    assert set() == satisfied_near_terms(norm, nears[:1])


def test_listed_sections_answer_the_query_by_themselves_by_score_above_the_floor():
    from search.hits import listed_sections
    from search.plan import QueryPlan

    kinds = {-1: 1, 0: 1, 1: 1, 2: 2, 3: 1}
    # bits: 执法 1, 培训 2
    scored = {-1: (9.0, 1), 0: (5.0, 3), 1: (1.0, 3), 2: (8.0, 3), 3: (4.0, 3)}
    assert [(2, 8.0), (0, 5.0), (3, 4.0), (1, 1.0)] == listed_sections(QueryPlan.of("执法 培训"), scored, kinds)
    assert [(0, 5.0), (3, 4.0), (1, 1.0)] == listed_sections(QueryPlan.of("执法 培训", kinds=["举措成效"]), scored,
                                                             kinds)
    assert [(-1, 9.0), (0, 5.0)] == listed_sections(QueryPlan.of("执法 OR 培训"), {-1: (9.0, 1), 0: (5.0, 2)},
                                                    kinds)
    # none holds both: those holding some
    assert [(-1, 9.0), (0, 5.0)] == listed_sections(QueryPlan.of("执法 培训"), {-1: (9.0, 1), 0: (5.0, 2)}, kinds)


def test_a_hit_lists_its_best_section_and_those_above_the_floor(kind_engine):
    result = kind_engine.search(SearchRequest(q="执法", limit=1)).to_dict()
    listed = result["hits"][0]["sections"]
    best = listed[0]["score"]
    assert all(s["score"] >= 0.3 * best for s in listed[1:])
    assert [s["score"] for s in listed] == sorted((s["score"] for s in listed), reverse=True)
