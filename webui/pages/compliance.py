"""Web UI stage: the compliance table (``/compliance``, ``/compliance.json``, ``/compliance.xlsx``).

``build(engine, args)`` returns ``{"compliance": Compliance.to_dict(), "ui": {...}}``; the JSON twin returns
``compliance`` unchanged. The filters are /search's (the same parameters, the same facet counts, each facet
value a toggle link to this page); ``sort`` orders the table (its column headers link to each order), ``page``
shows ``ROWS`` of it at a time (the JSON and Excel twins hold every report).
"""

from __future__ import annotations

import math

from flask import url_for

from search.compliance import PARTS, SORTS, compliance
from search.engine import Engine
from search.titles import display_title

from .. import urls
from ..params import PageOutOfRange, choice, filter_request, whole_number
from .results import FACET_ORDER, _chips, _pager, facet_view

ROWS = 200
SORT_LABELS = {"year": "年份", "agency": "机关", "publish_date": "发布日期", "gaps": "问题"}
ON_TIME_LABELS = {True: "按时", False: "逾期", None: "日期不详"}
OWN_PARAMS = frozenset({"sort", "page"})
PART_SHORT = {"举措成效": "举措", "问题不足": "不足", "第一责任人": "责任人", "下年安排": "安排"}


def build(engine: Engine, args) -> dict:
    sort = choice(args, "sort", SORTS)
    page = whole_number(args, "page", 1, 1, 10_000)
    request = filter_request(args, OWN_PARAMS)
    data = compliance(engine, request, sort).to_dict()
    pages = max(1, math.ceil(len(data["reports"]) / ROWS))
    if page > pages:
        raise PageOutOfRange(page, pages)
    return {"compliance": data, "ui": _ui(data, request, urls.args_of(args), page, pages)}


def _ui(data: dict, request, args: urls.Args, page: int, pages: int) -> dict:
    path = url_for("webui.compliance")
    kept = [(k, v) for k, v in args if k != "page"]
    s = data["summary"]
    shown = data["reports"][(page - 1) * ROWS:page * ROWS]
    return {
        "summary": (f"共 {s['reports']} 份报告：内容齐全 {s['complete']} 份；按时公开 {s['on_time']} 份，逾期 {s['late']} 份，"
                    f"发布日期不详 {s['date_unknown']} 份"),
        "missing": [{"kind": kind, "count": s["missing"][kind]} for kind in PARTS],
        "facets": [facet_view(name, data["facets"].get(name, []), path, args)
                   for name in FACET_ORDER if name != "kind" and data["facets"].get(name)],
        "chips": _chips(request, path, args),
        "clear_url": path,
        "parts": [{"name": k, "short": PART_SHORT[k]} for k in PARTS],
        "sorts": [{"label": label, "selected": name == data["sort"],
                   "url": urls.with_replaced(path, kept, "sort", None if name == "year" else name)}
                  for name, label in SORT_LABELS.items()],
        "rows": [_row(r) for r in shown],
        "pager": _pager(path, kept, page, pages),
        "json_url": urls.path_with_args(url_for("webui.compliance_json"), kept),
        "xlsx_url": urls.path_with_args(url_for("webui.compliance_xlsx"), kept),
        "matrix_url": urls.path_with_args(url_for("webui.matrix"), [("rows", "agency")] + [
            (k, v) for k, v in kept if k not in ("sort", "q", "mode")]),
    }


def _row(r: dict) -> dict:
    return {
        "title": display_title(r), "url": urls.report_url(r["file"]), "agency": r["agency"] or "（未注明）",
        "year": f"{r['year']}年" if r["year"] else "年份不详", "publish_date": r["publish_date"] or "不详",
        "deadline": r["deadline"] or "—", "status": ON_TIME_LABELS[r["on_time"]],
        "status_css": {True: "ok", False: "bad", None: "unknown"}[r["on_time"]],
        "parts": [{"present": r["parts"][k], "label": "有" if r["parts"][k] else "缺"} for k in PARTS],
        "gaps": "、".join(r["missing"]) or "—",
    }


def xlsx_table(data: dict) -> tuple[list[str], list[list]]:
    """The compliance table as an Excel sheet: one row per report."""
    header = ["机关", "年份", "标题", "发布日期", "截止日期", "是否按时", *PARTS, "缺少部分", "省份", "城市", "文件"]
    rows = []
    for r in data["reports"]:
        rows.append([r["agency"], r["year"], r["title"], r["publish_date"], r["deadline"], ON_TIME_LABELS[r["on_time"]],
                     *["有" if r["parts"][k] else "缺" for k in PARTS], "、".join(r["missing"]), r["province"],
                     r["city"], r["file"]])
    return header, rows
