"""Web UI stage: sections of other reports like one section (``/related?id=…&section=N``, ``/related.json``).

``build(engine, args)`` returns ``{"related": Related.to_dict(), "ui": {...}}``; the JSON twin returns
``related``. Linked from every heading on the report page (相似段落).
"""

from __future__ import annotations

from flask import abort, url_for

from search.engine import Engine
from search.related import related
from search.titles import display_title

from ..params import ParamError, check_names, whole_number
from ..urls import related_url, report_url

PARAMS = frozenset({"id", "section"})
MAX_SECTION = 100_000


def build(engine: Engine, args) -> dict:
    check_names(args, PARAMS)
    report_id = args.get("id", "").strip()
    if not report_id:
        raise ParamError("缺少参数 id（报告）")
    if "section" not in args:
        raise ParamError("缺少参数 section（章节序号）")
    index = whole_number(args, "section", 0, 0, MAX_SECTION)
    data = related(engine, report_id, index)
    if data is None:
        abort(404, description=f"找不到该章节：{report_id} 第 {index} 节")
    data = data.to_dict()
    return {"related": data, "ui": _ui(data)}


def _path(section: dict) -> str:
    return " › ".join(p for p in section.get("path") or [section.get("heading")] if p)


def _facts(*values) -> str:
    return " · ".join(str(v) for v in values if v)


def _ui(data: dict) -> dict:
    source = data["source"]
    return {
        "source": {"title": display_title(source),
                   "path": _path(source), "url": report_url(source["file"], _anchor=f"s-{source['index']}"),
                   "facts": _facts(source.get("agency"), source.get("year") and f"{source['year']}年")},
        "terms": "　".join(data["terms"][:12]),
        "entries": [{"path": _path(r), "url": report_url(r["file"], _anchor=f"s-{r['index']}"),
                     "more_url": related_url(r["file"], r["index"]),
                     "facts": _facts(display_title(r), r.get("agency"), r.get("year") and f"{r['year']}年",
                                     "、".join(r.get("kinds") or [])),
                     "excerpt": r["excerpt"]} for r in data["related"]],
        "json_url": url_for("webui.related_json", id=source["file"], section=source["index"]),
    }
