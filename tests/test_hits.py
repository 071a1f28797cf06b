"""search.hits: the sections shown for each report, their snippets, heading and 同句/同段 scopes."""

import pytest

from search.analysis import normalize_text
from search.engine import Engine, SearchRequest
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
    result = engine.search(SearchRequest(q=f"章节:{word}", limit=100)).to_dict()
    actual = {h["file"]: sorted(s["heading"] for s in h["sections"]) for h in result["hits"]}
    assert expected == actual


def test_hits_without_sections_list_the_same_reports(engine):
    full = engine.search(SearchRequest(q="执法", limit=100))
    bare = engine.search(SearchRequest(q="执法", limit=100, sections=False))
    assert [h["file"] for h in full.hits] == [h["file"] for h in bare.hits]
    assert {0} == {len(h["sections"]) for h in bare.hits}


STORED = {"text": "一、执法情况\n执法记录仪全面配备。局长信箱开通。\n", "heading": "一、执法情况", "path": ["一、执法情况"],
          "kinds": ["举措成效"], "offsets": {"index": 0, "start": 0, "end": 26, "body_start": 6}}


@pytest.mark.parametrize("q, spans, snippets", [
    ("执法", [(2, 4, 0), (7, 9, 0)], ["一、<mark>执法</mark>情况", "<mark>执法</mark>记录仪全面配备。"]),
    ("章节:执法", [(2, 4, 0)], ["一、<mark>执法</mark>情况"]),  # the heading's match only
    ("同句(执法 局长) 信箱", [(20, 22, 2)], ["局长<mark>信箱</mark>开通。"]),  # the group is not in one sentence
    ("同段(执法 局长)", [(2, 4, 0), (7, 9, 0), (17, 19, 1)],
     ["一、<mark>执法</mark>情况", "<mark>执法</mark>记录仪全面配备。", "<mark>局长</mark>信箱开通。"]),
])
def test_section_hit_counts_the_matches_the_plan_allows(q, spans, snippets):
    from search.hits import section_hit
    from search.plan import QueryPlan

    assert {"heading": "一、执法情况", "path": ["一、执法情况"], "kinds": ["举措成效"], "matches": len(spans),
            "snippets": snippets, "score": 1.2346, "index": 0,
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
