"""indexer.parse.sections, through parse_text: the section tree (headings, levels, parents, offsets) of short
reports numbered in the ways real ones are."""

import pytest

from conftest import CORPUS, load_truth
from indexer.parse import parse_text

SECTION_CASES = {
    "headings-run-into-text": (
        "一、主要工作。全年共办理案件1200宗，同比上升5%。\n（一）加强领导：成立领导小组。\n"
        "1.健全制度。制定制度12项。\n2.强化考核。\n（二）规范执法。开展执法检查。\n"
        "二、问题和不足。执法能力有待提升。\n三、下一步打算。继续推进法治建设。\n",
        [("一、主要工作", 1, None), ("（一）加强领导", 2, 0), ("1.健全制度", 3, 1), ("2.强化考核", 3, 1),
         ("（二）规范执法", 2, 0), ("二、问题和不足", 1, None), ("三、下一步打算", 1, None)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "digit-one-mixed-with-chinese-two": (
        "1、工作情况及成效\n（一）推进依法行政。一是完善制度。\n（二）规范执法行为。\n"
        "二、存在不足及下一步工作对策\n（一）加强培训。\n",
        [("1、工作情况及成效", 1, None), ("（一）推进依法行政", 2, 0), ("（二）规范执法行为", 2, 0),
         ("二、存在不足及下一步工作对策", 1, None), ("（一）加强培训", 2, 3)],
        [["举措成效"], ["问题不足", "下年安排"]],
    ),
    "lone-digit-after-the-run-is-not-level-one": (
        "一、主要举措\n（一）强化学习\n二、存在问题\n三、2022年工作安排\n重点是：\n4、强化监督\n",
        [("一、主要举措", 1, None), ("（一）强化学习", 2, 0), ("二、存在问题", 1, None), ("三、2022年工作安排", 1, None),
         ("4、强化监督", 3, 3)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "nested-list-does-not-break-level-one": (
        "一、主要举措和成效\n（一）强化学习。\n二、存在问题\n问题主要有：\n一、培训不足。\n二、监督不够。\n"
        "三、2023年工作计划\n（一）深化改革。\n",
        [("一、主要举措和成效", 1, None), ("（一）强化学习", 2, 0), ("二、存在问题", 1, None),
         ("一、培训不足", 3, 2), ("二、监督不够", 3, 2), ("三、2023年工作计划", 1, None), ("（一）深化改革", 2, 5)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "list-inside-last-section": (
        "一、2022年工作开展情况\n（一）强化学习。\n二、存在的不足\n三、2023年工作打算\n主要做好以下工作：\n"
        "一、深化改革。\n二、强化监督。\n三、加强培训。\n四、提升能力。\n",
        [("一、2022年工作开展情况", 1, None), ("（一）强化学习", 2, 0), ("二、存在的不足", 1, None),
         ("三、2023年工作打算", 1, None), ("一、深化改革", 3, 3), ("二、强化监督", 3, 3), ("三、加强培训", 3, 3),
         ("四、提升能力", 3, 3)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "heading-cut-off-on-its-own-line": (
        "一、\n主要举措和成效\n全年开展培训10次。\n二、存在的问题。\n三、其他需要报告的情况\n无。\n",
        [("一、主要举措和成效", 1, None), ("二、存在的问题", 1, None), ("三、其他需要报告的情况", 1, None)],
        [["举措成效"], ["问题不足"], ["其他"]],
    ),
    "two-level-two-runs-in-one-section": (
        "一、工作情况\n（一）强化学习。\n二、存在问题及下一步打算\n（一）培训不足。\n（二）监督不够。\n"
        "下一步，我们将：\n（一）深化改革。\n（二）强化监督。\n",
        [("一、工作情况", 1, None), ("（一）强化学习", 2, 0), ("二、存在问题及下一步打算", 1, None),
         ("（一）培训不足", 2, 2), ("（二）监督不够", 2, 2), ("（一）深化改革", 2, 2), ("（二）强化监督", 2, 2)],
        [["举措成效"], ["问题不足", "下年安排"]],
    ),
    "digits-as-top-level-without-chinese-numerals": (
        "1.主要举措和成效\n（一）强化学习。\n2.存在的问题\n3.下一步工作打算\n",
        [("1.主要举措和成效", 1, None), ("（一）强化学习", 2, 0), ("2.存在的问题", 1, None),
         ("3.下一步工作打算", 1, None)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "digit-items-under-level-two-are-level-three": (
        "（一）强化学习\n1.集中学习\n2.专题培训\n（二）规范执法\n1.案件审核\n",
        [("（一）强化学习", 2, None), ("1.集中学习", 3, 0), ("2.专题培训", 3, 0), ("（二）规范执法", 2, None),
         ("1.案件审核", 3, 3)],
        [],
    ),
    "circled-and-shi-items": (
        "一、主要举措\n（一）规范执法\n一是加强审核。全年审核案件200宗。\n二是强化监督。\n①案件评查；\n②专项检查。\n",
        [("一、主要举措", 1, None), ("（一）规范执法", 2, 0), ("一是加强审核", 3, 1), ("二是强化监督", 3, 1),
         ("①案件评查", 3, 1), ("②专项检查", 3, 1)],
        [["举措成效"]],
    ),
}


@pytest.mark.parametrize("name", list(SECTION_CASES))
def test_section_tree(name):
    text, expected, kinds = SECTION_CASES[name]
    report = parse_text(text)
    assert expected == [(s.heading, s.level, s.parent) for s in report.sections]
    assert kinds == [s.kinds for s in report.sections if s.level == 1]
    assert [] == [s.heading for s in report.sections if not report.text[s.start : s.end].startswith(s.heading[:2])]


def test_report_pasted_as_one_paragraph_still_has_its_sections():
    label = next(t for t in load_truth() if t["level2_count"] == 7)
    text = (CORPUS / label["file"]).read_text(encoding="utf-8").replace("\n", "")
    report = parse_text(text)
    level1 = [s for s in report.sections if s.level == 1]
    assert [h[:6] for h in label["level1_headings"]] == [s.heading[:6] for s in level1]
    assert label["level2_count"] == sum(s.level == 2 for s in report.sections)
    assert [] == [s.heading for s in report.sections if not report.text[s.start :].startswith(s.heading)]


def test_section_ends_at_the_next_heading_of_its_level_or_above():
    text = "\n".join([
        "一、工作情况", "（一）加强领导", "1.成立小组", "2.制定方案", "（二）完善制度", "1.修订办法",
        "二、存在问题", "1.执法不规范", "三、下一步打算", "（一）强化监督", "正文结束。",
    ])
    sections = parse_text(text).sections
    assert [1, 2, 3, 3, 2, 3, 1, 3, 1, 2] == [s.level for s in sections]
    starts = [s.start for s in sections]
    expected = [
        next((t.start for t in sections[i + 1 :] if t.level <= s.level), len(text)) for i, s in enumerate(sections)
    ]
    assert expected == [s.end for s in sections]
    assert [starts[6], starts[4], starts[3], starts[4], starts[6], starts[6], starts[8], starts[8], len(text),
            len(text)] == [s.end for s in sections]
