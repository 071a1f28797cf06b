"""search.ranking: reports by score (or by year), sections by score."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from search.engine import Engine, SearchRequest
from search_helpers import build_index, make_report


def test_hits_ranked_and_sections_ordered_by_score(engine):
    result = engine.search(SearchRequest(q="法治 公安", limit=50))
    scores = [h["score"] for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for h in result.hits:
        sec = [s["score"] for s in h["sections"]]
        assert sec == sorted(sec, reverse=True)


def test_sort_by_year(engine):
    years = [h["year"] for h in engine.search(SearchRequest(q="公安", sort="year", limit=100)).hits]
    assert years == sorted(years, reverse=True)


def test_idf():
    from search.ranking import idf

    assert [math.log(1 + 9.5 / 1.5), math.log(1 + 1.5 / 9.5), math.log(4)] == [idf(10, 1), idf(10, 9), idf(0, 0)]


@pytest.mark.parametrize("text, heading, phrases, expected", [
    # two matches, BM25-saturated and normalized by the section's length, plus the heading boost
    ("执法。执法。", "执法", [], 1.0 * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 6 / 600)) + 2.0),
    ("执法。执法。", "情况", [], 1.0 * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 6 / 600))),
    ("执法记录仪。", "情况", ["执法记录仪"], 1.0 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 6 / 600)) + 1.0),
    ("执法。记录仪。", "情况", ["执法记录仪"], 1.0 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 7 / 600))),
])
def test_section_score(text, heading, phrases, expected):
    from search.ranking import section_score
    from search.snippets import match_spans

    assert pytest.approx(expected) == section_score(text, heading, match_spans(text, ["执法"]), ["执法"], [1.0],
                                                    phrases)


def test_order_by_year_or_by_score_then_year():
    from search.plan import QueryPlan
    from search.ranking import order

    st = SimpleNamespace(columns=SimpleNamespace(year_rank=np.array([3, 0, 2, 1])))
    listed = np.array([True, True, False, True])
    ordered, scores = order(st, QueryPlan.of("执法"), listed, "year")
    assert ([1, 3, 0], None) == (ordered.tolist(), scores)
    ordered, scores = order(st, QueryPlan.of(""), listed, "relevance")  # no terms: by year too
    assert ([1, 3, 0], None) == (ordered.tolist(), scores)


def test_a_typed_phrase_found_as_typed_adds_its_words_idf(tmp_path):
    from search.plan import QueryPlan
    from search.ranking import ADJACENT_BOOST, report_scores, word_scores

    build_index(tmp_path, [make_report("a.txt", "一、情况\n执法记录仪\n"), make_report("b.txt", "一、情况\n记录仪执法\n"),
                           make_report("c.txt", "一、情况\n无关\n")])
    engine = Engine(tmp_path)
    with engine.reading() as st:
        a, b, c = report_scores(st, QueryPlan.of("执法记录仪", "words")).tolist()
        bonus = ADJACENT_BOOST * (word_scores(st, "执法")[0] + word_scores(st, "记录仪")[0])
    engine.close()
    assert (pytest.approx(bonus), 0.0) == (a - b, c)
    assert b > 0


def test_term_idf_counts_the_reports_a_term_matches(kind_engine):
    from search.query import Term
    from search.ranking import term_idf

    with kind_engine.reading() as st:
        assert [math.log(1 + 0.5 / 1.5), math.log(4)] == term_idf(st, [Term("执法"), Term("不存在")])
