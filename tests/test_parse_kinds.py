"""indexer.parse.kinds: what each level-1 section is, by its heading (keywords), else its first lines and its
place in the template."""

import pytest

from indexer.parse.kinds import classify, keyword_kinds


@pytest.mark.parametrize(
    "heading, year, expected",
    [
        ("2021年度推进法治政府建设的主要举措和成效", 2021, ["举措成效"]),
        ("2021年度推进法治政府建设存在的不足和原因", 2021, ["问题不足"]),
        ("2021年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况", 2021, ["第一责任人"]),
        ("2022年度推进法治政府建设的主要安排", 2021, ["下年安排"]),
        ("其他需要报告的情况", 2021, ["其他"]),
        ("工作开展情况及存在的问题", 2021, ["举措成效", "问题不足"]),
        ("存在问题及下步打算", 2021, ["问题不足", "下年安排"]),
        ("聚焦群众急难愁盼问题，提升服务水平", 2021, []),
        ("坚持问题导向，深化执法监督", 2021, []),
        ("加强主要领导干部学法用法", 2021, []),
        ("积极落实全市2021年全面依法治市工作要点", 2021, []),
        ("主要工作安排", 2021, ["下年安排"]),
        ("2021年工作总结和2022年工作计划", 2021, ["举措成效", "下年安排"]),
    ],
)
def test_keyword_kinds(heading, year, expected):
    assert expected == keyword_kinds(heading, year)


def test_unkeyworded_headings_take_their_place_in_the_template():
    headings = ["强化组织领导", "落实第一责任人职责", "深化执法监督", "存在的问题", "强化队伍建设"]
    bodies = ["", "", "", "", "下一步，我局将继续加强队伍建设。"]
    assert [["举措成效"], ["第一责任人"], ["举措成效"], ["问题不足"], ["下年安排"]] == classify(headings, bodies, 2021)
