"""search.query: what a user types → a query tree (no index needed)."""

import pytest

from search.query import And, Near, Not, Or, Term, parse, positive_terms, to_words

T = Term


@pytest.mark.parametrize("q, tree", [
    ("", None),
    ("   ", None),
    ("执法", T("执法")),
    ("执法 记录仪", And((T("执法"), T("记录仪")))),
    ("执法 AND 记录仪", And((T("执法"), T("记录仪")))),
    ("执法 与 记录仪", And((T("执法"), T("记录仪")))),
    ("参与 记录仪", And((T("参与"), T("记录仪")))),
    ("执法 OR 执勤", Or((T("执法"), T("执勤")))),
    ("执法 或 执勤", Or((T("执法"), T("执勤")))),
    ("执法 或者", And((T("执法"), T("或者")))),
    ("执法 -信访", And((T("执法"), Not(T("信访"))))),
    ("执法 NOT 信访", And((T("执法"), Not(T("信访"))))),
    ("执法 非 信访", And((T("执法"), Not(T("信访"))))),
    ("非法", T("非法")),
    ("-信访", Not(T("信访"))),
    ("2021-2025", T("2021-2025")),
    ("(执法 OR 执勤) 记录仪", And((Or((T("执法"), T("执勤"))), T("记录仪")))),
    ("（执法 OR 执勤） 记录仪", And((Or((T("执法"), T("执勤"))), T("记录仪")))),
    ("a OR b c", And((Or((T("a"), T("b"))), T("c")))),
    ("c a OR b", And((T("c"), Or((T("a"), T("b")))))),
    ("a OR -b", Or((T("a"), Not(T("b"))))),
    ('"执法 记录仪"', T("执法 记录仪")),
    ("“执法 记录仪”", T("执法 记录仪")),
    ("标题:公安", T("公安", "title")),
    ("title:公安", T("公安", "title")),
    ("标题：公安", T("公安", "title")),
    ('标题:"公安 局"', T("公安 局", "title")),
    ("章节:问题", T("问题", "heading")),
    ("heading:问题", T("问题", "heading")),
    ("标题:(公安 OR 司法)", Or((T("公安", "title"), T("司法", "title")))),
    ("12:30", T("12:30")),
    ("同句(执法 记录仪)", Near("sentence", ("执法", "记录仪"))),
    ("同段(执法 记录仪 配备)", Near("paragraph", ("执法", "记录仪", "配备"))),
    ("同句(执法)", T("执法")),
    ("同句 (执法 记录仪)", Near("sentence", ("执法", "记录仪"))),
    ("同句 执法", And((T("同句"), T("执法")))),
    ("(一)提高", T("(一)提高")),
    ("规划(2021-2025年)", T("规划(2021-2025年)")),
    ("title:*", T("*", "title")),
    ("执法*", T("执法*")),
])
def test_parse_tree(q, tree):
    parsed = parse(q)
    assert (tree, []) == (parsed.tree, parsed.notices)


# Operators and scopes are folded as terms are: traditional script, full width, case.
@pytest.mark.parametrize("q, tree", [
    ("標題:公安", T("公安", "title")),
    ("標題：公安", T("公安", "title")),
    ("小標題:问题", T("问题", "heading")),
    ("章節:問題", T("問題", "heading")),
    ("TITLE:公安", T("公安", "title")),
    ("Ｈｅａｄｉｎｇ:问题", T("问题", "heading")),
    ("执法 or 执勤", Or((T("执法"), T("执勤")))),
    ("执法 Or 执勤", Or((T("执法"), T("执勤")))),
    ("执法 ＯＲ 执勤", Or((T("执法"), T("执勤")))),
    ("执法 and 记录仪", And((T("执法"), T("记录仪")))),
    ("执法 與 记录仪", And((T("执法"), T("记录仪")))),
    ("执法 not 信访", And((T("执法"), Not(T("信访"))))),
    ("执法 ｎｏｔ 信访", And((T("执法"), Not(T("信访"))))),
    ("同句（执法 记录仪）", Near("sentence", ("执法", "记录仪"))),
    ("orange", T("orange")),
    ("標題", T("標題")),
])
def test_operators_and_scopes_are_folded_like_terms(q, tree):
    parsed = parse(q)
    assert (tree, []) == (parsed.tree, parsed.notices)


@pytest.mark.parametrize("q, tree, notice", [
    ('"执法 记录仪', T("执法 记录仪"), "缺少右引号，已按引到末尾处理"),
    ("(执法 OR 执勤", Or((T("执法"), T("执勤"))), "缺少右括号，已自动补上"),
    ("执法)", T("执法"), "多余的右括号已忽略"),
    ("执法 OR", T("执法"), "OR/或 两边都需要检索词，已忽略多余的 OR"),
    ("OR 执法", T("执法"), "OR/或 两边都需要检索词，已忽略多余的 OR"),
    ("执法 -", T("执法"), "NOT/非/- 后面需要检索词，已忽略"),
    ("NOT", None, "NOT/非/- 后面需要检索词，已忽略"),
    ("AND 执法", T("执法"), "AND/与 前面需要检索词，已忽略"),
    ("同句(执法 OR 记录仪)", Near("sentence", ("执法", "记录仪")), "同句/同段 括号内只能写检索词，运算符已忽略"),
])
def test_parse_repairs_with_a_notice(q, tree, notice):
    parsed = parse(q)
    assert (tree, [notice] if notice else []) == (parsed.tree, parsed.notices)


def test_words_mode_splits_terms_into_jieba_words():
    assert And((T("执法"), T("摄像机"))) == to_words(parse("执法摄像机").tree)
    assert Not(And((T("执法"), T("摄像机")))) == to_words(parse("-执法摄像机").tree)


def test_positive_terms_skip_negated():
    assert [T("a"), T("b"), T("c")] == positive_terms(parse("(a OR b) -d 同句(c a)").tree)


@pytest.mark.parametrize("depth", [17, 300, 5000])
def test_deep_nesting_is_capped_with_a_notice(depth):
    parsed = parse("(" * depth + "执法 OR 记录仪" + ")" * depth + " 复议")
    assert And((Or((Term("执法"), Term("记录仪"))), Term("复议"))) == parsed.tree
    assert ["括号嵌套超过 16 层，多余的括号已忽略"] == parsed.notices


def test_nesting_within_the_cap_needs_no_notice():
    parsed = parse("(" * 16 + "执法" + ")" * 16)
    assert (Term("执法"), []) == (parsed.tree, parsed.notices)
