"""search.abbreviations: short names ↔ full forms, offered in exact mode, searched in the words mode."""

import pytest

from search import query as ql
from search.abbreviations import alternatives, also, expand, pairs
from search.engine import Engine, SearchRequest
from search_helpers import build_index, make_report


def test_the_table_pairs_short_names_with_full_forms_without_punctuation():
    assert ("两法衔接", "行政执法与刑事司法衔接") in pairs()
    assert all(full.isalnum() and short.isalnum() for short, full in pairs())


@pytest.mark.parametrize("term, expected", [
    ("两法衔接", ["行政执法与刑事司法衔接"]), ("行政执法与刑事司法衔接", ["两法衔接"]), ("执法", [])])
def test_alternatives(term, expected):
    assert expected == alternatives(term)


def test_expand_and_also():
    tree = ql.parse("两法衔接 -信访").tree
    assert ql.And((ql.Or((ql.Term("两法衔接"), ql.Term("行政执法与刑事司法衔接"))), ql.Not(ql.Term("信访")))) == expand(tree)
    assert [{"term": "两法衔接", "means": "行政执法与刑事司法衔接",
             "q": '(两法衔接 OR "行政执法与刑事司法衔接") -信访'}] == also("两法衔接 -信访", tree)


@pytest.fixture
def engine(tmp_path):
    build_index(tmp_path, [make_report("short.txt", "一、情况\n推进两法衔接。\n"),
                           make_report("full.txt", "一、情况\n加强行政执法与刑事司法衔接。\n"),
                           make_report("none.txt", "一、情况\n其他工作。\n")])
    engine = Engine(tmp_path)
    yield engine
    engine.close()


def test_exact_mode_keeps_its_matches_and_offers_the_other_form(engine):
    result = engine.search(SearchRequest(q="两法衔接")).to_dict()
    assert ["short.txt"] == [h["file"] for h in result["hits"]]
    assert [{"term": "两法衔接", "means": "行政执法与刑事司法衔接", "q": '(两法衔接 OR "行政执法与刑事司法衔接")',
             "total": 2}] == result["also"]


def test_the_words_mode_searches_both_forms(engine):
    result = engine.search(SearchRequest(q="两法衔接", mode="words")).to_dict()
    assert ({"short.txt", "full.txt"}, []) == ({h["file"] for h in result["hits"]}, result["also"])
