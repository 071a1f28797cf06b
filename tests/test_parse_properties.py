"""indexer.parse never fails and always gives a well-formed section tree, whatever text it is handed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.parse import parse_text

PIECES = ["一、", "二、", "三、", "（一）", "(二)", "1.", "2、", "①", "一是", "第一部分", "十、", "。", "：", "\n", "\n\n",
          " ", "\u3000", "\u00a0", "|", "主要举措和成效", "存在的问题", "2021年", "下一步工作打算", "广州市公安局",
          "市公安局", "发布日期：", "2022-03-01", "二〇二二年三月一日", "当前位置：首页 > ", "相关文件", "萧山区",
          "法治政府建设年度报告", "我局", "x", "𠀀", "\r\n", "\t"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_any_text_gives_a_well_formed_report(pieces):
    report = parse_text("".join(pieces))
    n = len(report.text)
    problems = []
    for i, s in enumerate(report.sections):
        if not (0 <= s.start < s.body_start <= s.end <= n or 0 <= s.start <= s.body_start <= s.end <= n):
            problems.append((i, "offsets"))
        if i and s.start < report.sections[i - 1].start:
            problems.append((i, "order"))
        if s.parent is not None and not (s.parent < i and report.sections[s.parent].level < s.level):
            problems.append((i, "parent"))
        if s.level not in (1, 2, 3) or (s.level > 1 and s.kinds):
            problems.append((i, "level/kinds"))
    assert [] == problems
    assert report.level in (None, "provincial", "city", "district", "county")
    assert report.year is None or 1990 < report.year < 2100


def test_empty_and_clutter_only_texts():
    assert [("", None, []), ("", None, [])] == [
        (r.text, r.agency, r.sections) for r in (parse_text(""), parse_text("手机版\n扫一扫\n回到顶部\n"))
    ]
