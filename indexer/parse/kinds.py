"""Indexer stage 2 (parse), kinds: what each level-1 section is, by the national report template.

The template (法治政府建设年度报告) asks for: the year's measures and results (举措成效), shortcomings and
their causes (问题不足), the principal leaders' duty to build the rule of law (第一责任人), next year's plans
(下年安排), and anything else (其他). A heading may cover two (存在不足及下一步工作对策 → 问题不足 + 下年安排).
Keyword rules on the heading; a heading that says nothing falls back to its first lines, then to its place.
"""

from __future__ import annotations

import re

from indexer.parse.dates import YEAR
from search.schema import KINDS

FIRST = re.compile(r"第一责任|主要负责(?:人|同志)|主要领导(?!干部)|一把手|述法|党政.{0,4}负责人")
PROBLEM = re.compile(
    r"存在|不足|差距|短板|弱项|薄弱|瓶颈|困难和问题|问题(?:和|与|及|、)|(?:主要|存在的?|面临的?|工作中的?)问题|问题$|原因$"
)
STRONG_PLAN = re.compile(r"下一步|下步|下阶段|下一阶段|下一年|下年度|明年|今后|来年|新的一年|努力方向|展望")
PLAN = re.compile(r"计划|安排|打算|思路|设想|对策|工作(?:重点|要点|目标)|重点工作")
PLAN_NEGATED = re.compile(r"(?:落实|贯彻|执行|完成|按照|围绕)[^，,。]{0,12}$")
MEASURE = re.compile(
    r"举措|成效|成绩|成果|做法|经验|亮点|工作情况|开展情况|基本情况|总体情况|进展|落实情况|完成情况|推进情况|"
    r"建设情况|主要工作(?!安排|计划|打算|思路|设想|重点|要点|目标)|回顾|总结|取得"
)
OTHER = re.compile(r"其他|其它|附件|附表")


def _plan(text: str, year: int | None) -> bool:
    years = [int(y) for y in YEAR.findall(text)]
    if STRONG_PLAN.search(text) or (year and any(y > year for y in years)):
        return True
    if year and year in years:
        return False  # "落实全市2021年…工作要点" in a 2021 report is a measure
    return any(not PLAN_NEGATED.search(text[: m.start()]) for m in PLAN.finditer(text))


def keyword_kinds(text: str, year: int | None) -> list[str]:
    kinds = set()
    if FIRST.search(text):
        kinds.add("第一责任人")
    if PROBLEM.search(text):
        kinds.add("问题不足")
    if _plan(text, year):
        kinds.add("下年安排")
    years = [int(y) for y in YEAR.findall(text)]
    only_future = bool(year and years and all(y > year for y in years))
    if MEASURE.search(text) and not only_future:
        kinds.add("举措成效")
    if not kinds and OTHER.search(text):
        kinds.add("其他")
    return [k for k in KINDS if k in kinds]


def classify(headings: list[str], bodies: list[str], year: int | None) -> list[list[str]]:
    """Kinds of each level-1 section; ``headings``/``bodies`` in simplified script, numbering stripped."""
    out: list[list[str]] = []
    for heading, body in zip(headings, bodies):
        kinds = keyword_kinds(heading, year)
        if not kinds:
            seen = {k for ks in out for k in ks}
            if not seen & {"问题不足", "下年安排"}:
                kinds = ["举措成效"]  # work areas come first in every report of the genre
            elif "下年安排" in seen:
                kinds = ["下年安排"]
            else:
                first = re.split(r"[。\n]", body.strip(), maxsplit=1)[0][:80]
                kinds = [k for k in keyword_kinds(first, year) if k != "举措成效"] or ["其他"]
        out.append(kinds)
    return out
