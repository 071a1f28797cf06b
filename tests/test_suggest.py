"""search.suggest: a query one character off an index word gets that word, with its count."""

import pytest

from search.engine import Engine, SearchRequest
from search.suggest import closest, one_off
from search_helpers import build_index, make_report


@pytest.mark.parametrize("a, b, expected", [
    ("执发", "执法", True), ("执法记录", "执法记录仪", True), ("执法记录仪", "执法记录", True),
    ("执法", "执法", False), ("执发", "法执", False), ("执法", "行政执法", False)])
def test_one_off(a, b, expected):
    assert expected == one_off(a, b)


@pytest.fixture
def engine(tmp_path):
    texts = ["一、情况\n严格执法，执行到位。\n", "一、情况\n规范执法。\n", "一、情况\n执法检查，执行制度。\n",
             "一、情况\n执法记录仪。\n"]
    build_index(tmp_path, [make_report(f"{i}.txt", t) for i, t in enumerate(texts)])
    engine = Engine(tmp_path)
    yield engine
    engine.close()


def test_the_most_widely_held_word_one_character_off_wins(engine):
    with engine.reading() as st:
        assert (("执法", 4), None) == (closest(st, "执发"), closest(st, "执法记录议"))  # 执法记录仪: one report


def test_a_query_that_finds_nothing_gets_did_you_mean(engine):
    result = engine.search(SearchRequest(q="执发 规范")).to_dict()
    assert (0, {"q": "执法 规范", "term": "执发", "word": "执法", "count": 4}) == (result["total"],
                                                                              result["did_you_mean"])
    assert None is engine.search(SearchRequest(q="执法")).to_dict()["did_you_mean"]
