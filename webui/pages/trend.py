"""Web UI stage: the trend of a query (``/trend``, ``/trend.json``): an SVG chart and its numbers.

``build(engine, args)`` returns ``{"trend": Trend.to_dict(), "ui": {...}}``; the JSON twin returns ``trend``.
The chart shows the collection and the provinces holding most reports (``chart.MAX_SERIES`` lines); the table
under it holds every series, each number linking to its search.
"""

from __future__ import annotations

from flask import url_for

from search.engine import Engine
from search.trend import trend

from .. import urls
from ..chart import MAX_SERIES, line_chart
from ..params import filter_request
from ..urls import search_url


def build(engine: Engine, args) -> dict:
    request = filter_request(args)
    data = trend(engine, request).to_dict()
    return {"trend": data, "ui": _ui(data, request, urls.args_of(args))}


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def _row(series: dict, request) -> dict:
    cells = []
    for p in series["points"]:
        narrow = {**series["key"], "year": p["year"]}
        cells.append({"share": _percent(p["share"]), "counts": f"{p['matched']} / {p['held']}" if p["held"] else "无报告",
                      "url": search_url(request, narrow) if p["matched"] else None})
    return {"name": series["name"], "cells": cells,
            "total": {"share": _percent(series["matched"] / series["held"] if series["held"] else None),
                      "counts": f"{series['matched']} / {series['held']}",
                      "url": search_url(request, series["key"]) if series["matched"] else None}}


def _ui(data: dict, request, args: urls.Args) -> dict:
    q = request.q
    overall, provinces = data["series"][0], data["series"][1:]
    drawn = [overall] + sorted(provinces, key=lambda s: (-s["held"], s["name"]))[:MAX_SERIES - 1]
    title = f"提到“{q}”的报告占比（按年份）" if q else "报告收录情况（按年份）"
    undated = data["undated"]
    return {
        "q": q,
        "form_hidden": [{"name": k, "value": v} for k, v in args if k != "q"],
        "title": title,
        "has_query": bool(q),
        "has_years": bool(data["years"]),
        "chart": line_chart(data["years"], drawn, title) if data["years"] else None,
        "years": [f"{y}年" for y in data["years"]],
        "rows": [_row(s, request) for s in data["series"]],
        "undated": (f"另有 {undated['held']} 份报告年份不详（其中 {undated['matched']} 份包含检索词），未计入图表。"
                    if undated["held"] else ""),
        "note": f"图中画出全部报告与收录最多的 {len(drawn) - 1} 个省份；下表列出全部省份。" if len(provinces) > len(drawn) - 1
                else "",
        "matrix_url": urls.path_with_args(url_for("webui.matrix"), args),
        "json_url": urls.path_with_args(url_for("webui.trend_json"), args),
    }
