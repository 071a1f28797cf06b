"""search.plan: one request's query plan, made without an index: whole plans for known queries."""

import pytest

from search.plan import QueryPlan, kind_mask
from search.query import And, Near, Not, Or, Term

T = Term


def test_a_plan_holds_what_matching_ranking_and_hits_read():
    tree = And((T("执法摄像机"), T("公安", "title"), T("问题", "heading"), Near("sentence", ("执法", "信访")),
                Not(T("督察"))))
    expected = QueryPlan(
        q="执法摄像机 标题:公安 章节:问题 同句(执法 信访) -督察", mode="exact", typed=tree, tree=tree, notices=(),
        kmask=0b10,
        terms=(T("执法摄像机"), T("公安", "title"), T("问题", "heading"), T("执法"), T("信访")),
        words=("执法", "摄像机", "公安", "问题", "信访"),
        phrases=((T("执法摄像机"), ("执法", "摄像机")),), phrase_texts=("执法摄像机",),
        hit_terms=(T("执法摄像机"), T("问题", "heading"), T("执法"), T("信访")),
        texts=("执法摄像机", "问题", "执法", "信访"), in_heading=frozenset({1}),
        nears=(Near("sentence", ("执法", "信访")),), alone=frozenset({"执法摄像机", "公安", "问题"}),
        grams=(((0, "执法"), (2, "摄像"), (3, "像机")), ((0, "问题"),), ((0, "执法"),), ((0, "信访"),)),
    )
    assert expected == QueryPlan.of(expected.q, "exact", ["问题不足"])


def test_the_words_mode_searches_jieba_words_and_keeps_the_typed_phrase():
    typed = Or((T("执法摄像机"), T("公安局", "title")))
    searched = Or((And((T("执法"), T("摄像机"))), T("公安局", "title")))
    expected = QueryPlan(
        q="执法摄像机 OR 标题:公安局", mode="words", typed=typed, tree=searched, notices=(), kmask=0b111111,
        terms=(T("执法"), T("摄像机"), T("公安局", "title")), words=("执法", "摄像机", "公安局"),
        phrases=((T("执法摄像机"), ("执法", "摄像机")),), phrase_texts=("执法摄像机",),
        hit_terms=(T("执法"), T("摄像机")), texts=("执法", "摄像机"), in_heading=frozenset(), nears=(),
        alone=frozenset({"执法", "摄像机", "公安局"}), grams=(((0, "执法"),), ((0, "摄像"), (1, "像机"))),
    )
    assert expected == QueryPlan.of(expected.q, "words")


def test_the_empty_query_plans_nothing():
    assert QueryPlan(q="", mode="exact", typed=None, tree=None, notices=(), kmask=0b111111, terms=(), words=(),
                     phrases=(), phrase_texts=(), hit_terms=(), texts=(), in_heading=frozenset(), nears=(),
                     alone=frozenset(), grams=()) == QueryPlan.of("")


def test_the_suggestion_tree_is_the_typed_tree_in_the_words_mode_made_when_asked_for():
    plan = QueryPlan.of("执法摄像机 -信访")
    assert "words_tree" not in vars(plan)
    assert And((T("执法"), T("摄像机"), Not(T("信访")))) == plan.words_tree
    assert plan.words_tree is vars(plan)["words_tree"]


def test_repairs_are_the_plans_notices():
    plan = QueryPlan.of("同句(执法 记录")
    assert (("缺少右括号，已自动补上",), Near("sentence", ("执法", "记录"))) == (plan.notices, plan.tree)


@pytest.mark.parametrize("kinds, mask", [
    ([], 0b111111),
    (["举措成效"], 0b1),
    (["问题不足", "下年安排"], 0b1010),
    (["其他"], 0b10000),
    (["不存在"], 0),  # an unknown kind matches no section
])
def test_kind_mask(kinds, mask):
    assert mask == kind_mask(kinds)
