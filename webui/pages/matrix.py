"""Web UI stage: the place × year matrix (``/matrix``, ``/matrix.json``, ``/matrix.csv``).

``build(engine, args)`` returns ``{"matrix": Matrix.to_dict(), "ui": {...}}``; the JSON twin returns
``matrix`` unchanged. Each cell links to the search whose total is its ``matched`` count (the row's place and
the cell's year added to the page's query and filters).
"""

from __future__ import annotations

from flask import url_for

from search.engine import Engine
from search.matrix import ROWS, matrix

from .. import urls
from ..labels import FACET_LABELS
from ..params import choice, filter_request

ROW_LABELS = {"province": "按省份", "city": "按城市", "agency": "按机关"}
UNKNOWN = "（未注明）"
UNKNOWN_YEAR = "年份不详"


def build(engine: Engine, args) -> dict:
    rows = choice(args, "rows", tuple(ROWS))
    request = filter_request(args, frozenset({"rows"}))
    data = matrix(engine, request, rows).to_dict()
    return {"matrix": data, "ui": _ui(data, request, urls.args_of(args))}


def row_label(key: dict) -> str:
    return " · ".join(str(v) if v else UNKNOWN for v in key.values())


def year_label(year) -> str:
    return f"{year}年" if year is not None else UNKNOWN_YEAR


def _cell(cell: dict, request, where: str, narrow: dict) -> dict:
    """One cell's text, tooltip and link (``narrow``: the filters its search adds to the page's)."""
    matched, held, q = cell["matched"], cell["held"], request.q
    if held == 0:
        main, sub, css = "无报告", "", "none"
    elif q and matched == 0:
        main, sub, css = "无匹配", f"/ {held}", "nomatch"
    elif q:
        main, sub, css = str(matched), f"/ {held}", "match"
    else:
        main, sub, css = str(held), "", "match"
    title = f"{where}：收录 {held} 份" + (f"，其中 {matched} 份包含“{q}”" if q else "")
    url = urls.search_url(request, narrow) if matched else None
    rules = _rules(cell.get("compliance") or {})
    state = (cell.get("compliance") or {}).get("state")
    css += f" {state}" if state in RULE_STATES else ""
    return {"main": main, "sub": sub, "css": css, "title": title + (f"；{rules}" if rules else ""), "url": url,
            "rules": rules, "rules_state": state if state in RULE_STATES else None}


RULE_STATES = ("late", "incomplete", "late_incomplete")


def _rules(compliance: dict) -> str:
    """A cell's compliance problems in words: 逾期 n / 缺项 n (empty when none)."""
    parts = [f"{label} {compliance[name]}" for name, label in (("late", "逾期"), ("incomplete", "缺项"))
             if compliance.get(name)]
    return " · ".join(parts)


def _ui(data: dict, request, args: urls.Args) -> dict:
    path = url_for("webui.matrix")
    names = ROWS[data["rows"]]
    table = []
    for row in data["table"]:
        label = row_label(row["key"])
        table.append({
            "label": label,
            "cells": [_cell(c, request, f"{label} {year_label(c['year'])}", {**row["key"], "year": c["year"]})
                      for c in row["cells"]],
            "total": _cell(row, request, f"{label} 合计", row["key"]),
        })
    totals = data["totals"]
    q = request.q
    return {
        "q": q,
        "form_hidden": [{"name": k, "value": v} for k, v in args if k != "q"],
        "title": f"“{q}”的分布" if q else "收录情况",
        "summary": (f"收录 {totals['held']} 份报告，其中 {totals['matched']} 份包含“{q}”" if q
                    else f"共收录 {totals['held']} 份报告"),
        "row_header": " · ".join(FACET_LABELS[n] for n in names),
        "years": [year_label(y) for y in data["years"]],
        "rows_options": [{"label": label, "selected": name == data["rows"],
                          "url": urls.with_values(path, args, {"rows": None if name == "province" else name})}
                         for name, label in ROW_LABELS.items()],
        "table": table,
        "totals": {"cells": [_cell(c, request, f"合计 {year_label(c['year'])}", {"year": c["year"]})
                             for c in totals["cells"]],
                   "total": _cell(totals, request, "合计", {})},
        "legend": ("每格：包含检索词的报告数 / 收录报告数；“无报告”表示未收录该年报告，“无匹配”表示有报告但未提到检索词。"
                   if q else "每格：收录的报告数；“无报告”表示未收录该年报告。")
                  + "红线标出有逾期公开（“逾期”）或缺少规定部分（“缺项”）的报告的格子，详见合规检查。",
        "trend_url": urls.path_with_args(url_for("webui.trend"), [(k, v) for k, v in args if k != "rows"]),
        "json_url": urls.path_with_args(url_for("webui.matrix_json"), args),
        "csv_url": urls.path_with_args(url_for("webui.matrix_csv"), args),
        "xlsx_url": urls.path_with_args(url_for("webui.matrix_xlsx"), args),
    }


def csv_table(data: dict) -> tuple[list[str], list[list]]:
    """The matrix as a grid: the row's fields, then matched and held per year, then the row's totals."""
    names = ROWS[data["rows"]]
    header = [FACET_LABELS[n] for n in names]
    for year in data["years"]:
        header += [f"{year_label(year)}匹配", f"{year_label(year)}收录"]
    header += ["合计匹配", "合计收录"]
    rows = []
    for row in data["table"]:
        values = [row["key"][n] or "" for n in names]
        for cell in row["cells"]:
            values += [cell["matched"], cell["held"]]
        rows.append(values + [row["matched"], row["held"]])
    totals = data["totals"]
    last = ["合计"] + [""] * (len(names) - 1)
    for cell in totals["cells"]:
        last += [cell["matched"], cell["held"]]
    rows.append(last + [totals["matched"], totals["held"]])
    return header, rows
