"""Web UI stage: one kind of section of 2–4 reports side by side (``/compare``, ``/compare.json``).

The reports are chosen on the search page (``ids=…&ids=…``) or by filters (``kind=问题不足&city=…``: the first
reports of that search). ``build(engine, args)`` returns ``{"comparison": Comparison.to_dict(), "ui": {...}}``;
the JSON twin returns ``comparison``. Columns scroll in step, section by section (``static/compare.js``).
"""

from __future__ import annotations

from flask import abort, url_for

from search.compare import DEFAULT_KIND, KINDS, MAX_REPORTS, MIN_REPORTS, compare, pick
from search.engine import Engine
from search.schema import FACET_FIELDS
from search.titles import display_title

from .. import urls
from ..markup import highlighted
from ..params import YEAR_PARAMS, ParamError, choice, filter_request, report_ids
from ..urls import report_url

KIND_CHOICES = (DEFAULT_KIND, *(k for k in KINDS if k != DEFAULT_KIND))  # the first is the default


def build(engine: Engine, args) -> dict:
    kind = choice(args, "kind", KIND_CHOICES)
    ids = report_ids(args, "ids", MIN_REPORTS, MAX_REPORTS)
    request = filter_request(args, frozenset({"ids"}))
    if ids:
        narrowing = [n for n in FACET_FIELDS + YEAR_PARAMS if args.getlist(n)]
        if narrowing:
            raise ParamError(f"已用 ids 选定报告，不能再用筛选条件：{'、'.join(narrowing)}")
    chosen = ids or pick(engine, request, kind)
    data = compare(engine, chosen, kind, request.q, request.mode).to_dict()
    if data["missing"]:
        abort(404, description=f"找不到该报告：{data['missing'][0]}")
    return {"comparison": data, "ui": _ui(data, request, urls.args_of(args), bool(ids))}


def paragraphs(text: str, parts: list[dict], matches: list[list[int]], skip: int = 0) -> list[dict]:
    """The text's non-empty lines from offset ``skip`` on, each with its marks, a sub-heading in bold."""
    out, pos = [], 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if end <= skip:
            continue
        if start < skip:
            line, start = line[skip - start:], skip
        if not line.strip():
            continue
        marks = [(max(s, start) - start, min(e, end) - start) for s, e in matches if s < end and e > start]
        indent = len(line) - len(line.lstrip())
        part = next((p for p in parts if start <= p["start"] <= start + indent), None)
        cut = min(max(part["body_start"] - start, 0), len(line)) if part else 0
        head = [(a, min(b, cut), None) for a, b in marks if a < cut]
        body = [(max(a, cut) - cut, b - cut, None) for a, b in marks if b > cut]
        out.append({"css": f"heading level-{min(int(part['level'] or 1), 3)}" if part else "",
                    "head": highlighted(line[:cut], head), "html": highlighted(line[cut:], body)})
    return out


def _section(section: dict, report_id: str, q: str, mode: str) -> dict:
    """The section's heading (marked, linking to it in the report), then its text after the heading."""
    own = next((p for p in section["parts"] if p["index"] == section["index"]), None)
    cut = own["body_start"] if own else 0
    marks = [(s, min(e, cut), None) for s, e in section["matches"] if s < cut]
    return {"heading": highlighted(section["text"][:cut].rstrip(), marks) if cut else section["heading"],
            "url": report_url(report_id, q, mode, _anchor=f"s-{section['index']}"),
            "paragraphs": paragraphs(section["text"], section["parts"], section["matches"], cut)}


def _column(report: dict, kind: str, q: str, mode: str) -> dict:
    place = " · ".join(p for p in (report.get("province"), report.get("city"), report.get("county")) if p)
    facts = [report.get("agency"), f"{report['year']}年" if report.get("year") else None, place]
    return {
        "title": display_title(report),
        "url": report_url(report["file"], q, mode),
        "facts": " · ".join(f for f in facts if f),
        "matches": f"“{q}” {report['matches']} 处" if q else "",
        "empty": "" if report["sections"] else f"本报告没有标为“{kind}”的部分。",
        "sections": [_section(s, report["file"], q, mode) for s in report["sections"]],
    }


def _ui(data: dict, request, args: urls.Args, chosen: bool) -> dict:
    path = url_for("webui.compare")
    kind, q, reports = data["kind"], request.q, data["reports"]
    notice = ""
    if not chosen and len(reports) < MIN_REPORTS:
        notice = (f"符合条件且含“{kind}”部分的报告只有 {len(reports)} 份。" if reports
                  else f"没有符合条件且含“{kind}”部分的报告。") + "可在搜索结果中勾选报告进行对比。"
    return {
        "q": q,
        "title": f"对比各报告的“{kind}”",
        "form_hidden": [{"name": k, "value": v} for k, v in args if k != "q"],
        "kinds": [{"label": k, "selected": k == kind,
                   "url": urls.with_values(path, args, {"kind": None if k == DEFAULT_KIND else k})} for k in KINDS],
        "summary": f"{len(reports)} 份报告" + ("（按筛选条件选出前几份）" if not chosen and reports else ""),
        "notice": notice,
        "columns": [_column(r, kind, q, request.mode) for r in reports],
        "search_url": urls.search_url(request) if not chosen else None,
        "json_url": urls.path_with_args(url_for("webui.compare_json"), args),
    }
