"""search.hits: the sections shown for each report, their snippets, heading and 同句/同段 scopes."""

import pytest

from search.analysis import normalize_text
from search.engine import Engine, SearchRequest
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
