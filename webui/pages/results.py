"""Web UI stage: the search results page (``/search``, ``/search.json``, ``/search.csv``).

``build(engine, args)`` returns ``{"result": SearchResult.to_dict(), "ui": {...}}``; ``/search.json`` returns
``result`` unchanged (the same object as ``reports-search --json``), the HTML page renders both.
"""

from __future__ import annotations

import math

from flask import url_for

from search.engine import Engine
from search.schema import VALUE_FACETS
from search.titles import display_title

from .. import urls
from ..labels import FACET_LABELS, MODE_LABELS, SORT_LABELS, value_label
from ..params import PageOutOfRange, search_request

FACET_ORDER = tuple(FACET_LABELS)  # the sidebar shows the facets in the order of their labels
FACET_TOP = 8  # values shown before "更多"
FACET_MORE = 40  # values listed under "更多" at most (the selected and the most frequent first; /facet has all)
PAGER_WINDOW = 3


def build(engine: Engine, args, ui: bool = True) -> dict:
    """The page object; ``ui=False`` (the JSON twin): the result only, without the sidebar's links and the
    snippets' paragraph numbers that only the HTML shows."""
    request = search_request(args)
    result = engine.search(request).to_dict()
    pages = max(1, math.ceil(result["total"] / request.limit))
    if request.page > pages:
        raise PageOutOfRange(request.page, pages)
    if not ui:
        return {"result": result}
    from .excerpts import snippet_paragraphs

    excerpts = snippet_paragraphs(result["hits"])
    return {"result": result, "ui": _ui(result, request, urls.args_of(args), pages, excerpts)}


def _ui(result: dict, request, args: urls.Args, pages: int, excerpts: dict | None = None) -> dict:
    path = url_for("webui.search")
    return {
        "q": request.q,
        "mode": request.mode,
        "form_hidden": [{"name": k, "value": v} for k, v in args if k not in ("q", "page")],
        "summary": _summary(result, request, pages),
        "empty_title": f"没有找到包含“{request.q}”的报告" if request.q else "没有符合筛选条件的报告",
        "facets": [facet_view(name, result["facets"].get(name, []), path, args, all_path=url_for("webui.facet"))
                   for name in FACET_ORDER if result["facets"].get(name)],
        "year_form": _year_form(request, args),
        "chips": _chips(request, path, args),
        "clear_url": urls.path_with_args(path, [(k, v) for k, v in args if k in ("q", "mode", "sort", "limit")]),
        "modes": _options(path, args, "mode", MODE_LABELS, request.mode),
        "sorts": _options(path, args, "sort", SORT_LABELS, request.sort),
        "hits": [_hit(hit, request, excerpts or {}) for hit in result["hits"]],
        "pager": _pager(path, args, request.page, pages),
        "notices": list(result.get("notices") or []),
        "broaden": _broaden(result, path, args),
        "also": [{"text": f"{o['term']} 即 {o['means']}", "total": o["total"],
                  "url": urls.with_replaced(path, args, "q", o["q"])} for o in result.get("also") or []],
        "did_you_mean": _did_you_mean(result, path, args),
        "words_url": urls.with_replaced(path, args, "mode", "words") if request.mode == "exact" and request.q else None,
        "json_url": urls.path_with_args(url_for("webui.search_json"), args),
        "analysis": _analysis(result, request, args),
        "csv_url": urls.path_with_args(url_for("webui.search_csv"), [(k, v) for k, v in args if k != "page"]),
        "xlsx_url": urls.path_with_args(url_for("webui.search_xlsx"), [(k, v) for k, v in args if k != "page"]),
    }


def _summary(result: dict, request, pages: int) -> str:
    if result["total"] == 0:
        return "没有找到报告"
    text = f"找到 {result['total']} 份报告"
    return f"{text}，第 {request.page} / {pages} 页" if pages > 1 else text


def facet_view(name: str, values: list[dict], path: str, args: urls.Args, every: bool = False,
               all_path: str | None = None) -> dict:
    """A facet's values as the sidebar shows them: the selected first, at most ``FACET_TOP + FACET_MORE`` of them
    (``every``: all, the facet page), each with the URL (on ``path``, keeping ``args``) that toggles it; the
    rest counted, with the URL of the page at ``all_path`` that lists them all (``all_url``; without: the
    page's JSON)."""
    ordered = sorted(values, key=lambda v: not v["selected"])
    if name == "year":
        ordered = sorted(values, key=lambda v: (not v["selected"], -int(v["value"])))
    add = urls.adder(path, args, name)
    views = [_facet_value(name, v, path, args, add) for v in (ordered if every else ordered[:FACET_TOP + FACET_MORE])]
    unlisted = len(ordered) - len(views)
    return {"name": name, "label": FACET_LABELS[name], "values": views, "top": views[:FACET_TOP],
            "more": views[FACET_TOP:], "more_label": f"更多（{len(ordered) - FACET_TOP}）",
            "unlisted": (f"另有 {unlisted} 项（计数较少）未列出：" +
                         (f"查看全部 {len(ordered)} 项" if all_path else "全部见本页的 JSON")) if unlisted else "",
            "all_url": urls.path_with_args(all_path, [("facet", name)] + [(k, v) for k, v in args if k != "page"])
            if unlisted and all_path else None}


def _facet_value(name: str, value: dict, path: str, args: urls.Args, add) -> dict:
    """One value's view; ``add``: ``urls.adder`` of this facet."""
    raw = str(value["value"])
    if name == "year" and value["selected"] and len([k for k, _ in args if k == "year"]) > 1:
        toggle = urls.with_removed(path, args, "year", raw)  # one of several years
    elif name == "year":
        toggle = urls.with_replaced(path, args, "year", None if value["selected"] else raw, "year_from", "year_to")
    elif value["selected"]:
        toggle = urls.with_removed(path, args, name, raw)
    else:
        toggle = add(raw)
    return {"value": raw, "label": value_label(name, raw), "count": value["count"],
            "selected": bool(value["selected"]), "toggle_url": toggle}


def _year_form(request, args: urls.Args) -> dict:
    hidden = [{"name": k, "value": v} for k, v in args if k not in ("year", "year_from", "year_to", "page")]
    return {"hidden": hidden, "year_from": request.year_from or "", "year_to": request.year_to or ""}


def _chips(request, path: str, args: urls.Args) -> list[dict]:
    chips = []
    for name in VALUE_FACETS:
        for value in getattr(request, name):
            chips.append({"label": f"{FACET_LABELS[name]}：{value_label(name, value)}",
                          "remove_url": urls.with_removed(path, args, name, value)})
    for value in [v.strip() for k, v in args if k == "year" and v.strip()] if request.years else []:
        label = f"{value}年" if value.isdigit() else value  # each of several years, as typed (2021, 2019-2020)
        chips.append({"label": f"年份：{label}", "remove_url": urls.with_removed(path, args, "year", value)})
    if request.year_from is not None or request.year_to is not None:
        chips.append({"label": f"年份：{year_range_label(request.year_from, request.year_to)}",
                      "remove_url": urls.with_replaced(path, args, "year", None, "year_from", "year_to")})
    return chips


def year_range_label(lo: int | None, hi: int | None) -> str:
    if lo == hi:
        return f"{lo}年"
    if hi is None:
        return f"{lo}年起"
    if lo is None:
        return f"至{hi}年"
    return f"{lo}—{hi}年"


def _options(path: str, args: urls.Args, name: str, labels: dict, current: str) -> list[dict]:
    default = next(iter(labels))
    return [{"label": label, "selected": value == current,
             "url": urls.with_replaced(path, args, name, None if value == default else value)}
            for value, label in labels.items()]


def _hit(hit: dict, request, excerpts: dict) -> dict:
    place = " · ".join(p for p in (hit.get("province"), hit.get("city"), hit.get("county")) if p)
    facts = [hit.get("agency"), f"{hit['year']}年" if hit.get("year") else None,
             f"发布于 {hit['publish_date']}" if hit.get("publish_date") else None, place]
    return {
        "id": hit["file"],
        "title": display_title(hit),
        "url": urls.report_url(hit["file"], request.q, request.mode),
        "facts": " · ".join(f for f in facts if f),
        "matches": sum(s.get("matches", 0) for s in hit["sections"]),
        "sections": [_section(s, hit["file"], request, excerpts.get((hit["file"], s.get("index")), []))
                     for s in hit["sections"]],
        "more_sections": (f"另有 {hit['sections_total'] - len(hit['sections'])} 个章节含有匹配，见全文"
                          if hit.get("sections_total", 0) > len(hit["sections"]) else ""),
    }


def _section(section: dict, report_id: str, request, excerpts: list) -> dict:
    path = section.get("path") or [section.get("heading") or ""]
    if isinstance(path, str):
        path = [path]
    return {"path": " › ".join(p for p in path if p) or "（正文开头）", "matches": section.get("matches", 0),
            "url": urls.report_url(report_id, request.q, request.mode, **urls.section_anchor(section)),
            "snippets": list(section.get("snippets", [])),  # escaped and marked safe by search.snippets
            "excerpts": [excerpts[i] if i < len(excerpts) else None for i in range(len(section.get("snippets", [])))]}


def _pager(path: str, args: urls.Args, page: int, pages: int) -> dict:
    def link(n: int) -> str:
        return urls.with_replaced(path, args, "page", None if n == 1 else str(n))

    numbers = sorted({1, pages, *range(max(1, page - PAGER_WINDOW), min(pages, page + PAGER_WINDOW) + 1)})
    items, last = [], 0
    for n in numbers:
        if n > last + 1:
            items.append({"label": "…", "url": None, "current": False})
        items.append({"label": str(n), "url": link(n), "current": n == page})
        last = n
    return {"show": pages > 1, "links": items,
            "prev_url": link(page - 1) if page > 1 else None,
            "next_url": link(page + 1) if page < pages else None}


def _broaden(result: dict, path: str, args: urls.Args) -> dict | None:
    """The engine's suggestion (the words mode finds more reports) as a link."""
    suggestion = result.get("suggestion")
    if not suggestion or suggestion.get("mode") != "words":
        return None
    found = suggestion.get("total")
    text = "精确匹配没有找到报告" if result["total"] == 0 else "精确匹配找到的报告较少"
    text += f"，按词匹配可找到 {found} 份" if found else "，可改用按词匹配"
    return {"url": urls.with_replaced(path, args, "mode", "words"), "text": text}


def _did_you_mean(result: dict, path: str, args: urls.Args) -> dict | None:
    """The closest index word of a slip (a query that found nothing) as a link."""
    slip = result.get("did_you_mean")
    if not slip:
        return None
    return {"q": slip["q"], "count": slip["count"], "url": urls.with_replaced(path, args, "q", slip["q"])}


ANALYSIS_DROPS = ("page", "sort", "limit")


def _analysis(result: dict, request, args: urls.Args) -> dict:
    """Links to the analysis pages for this query and these filters, and the compare form's fields."""
    from search.compare import DEFAULT_KIND, KINDS

    kept = [(k, v) for k, v in args if k not in ANALYSIS_DROPS]
    wanted = request.kind[0] if len(request.kind) == 1 and request.kind[0] in KINDS else DEFAULT_KIND
    query = [(k, v) for k, v in (("q", request.q), ("mode", request.mode if request.mode != "exact" else "")) if v]
    return {
        "matrix_url": urls.path_with_args(url_for("webui.matrix"), kept),
        "compliance_url": urls.path_with_args(url_for("webui.compliance"), [(k, v) for k, v in kept if k not in ("q", "mode")]),
        "overlap_url": urls.path_with_args(url_for("webui.overlap"), [(k, v) for k, v in kept if k not in ("q", "mode")]),
        "trend_url": urls.path_with_args(url_for("webui.trend"), kept) if request.q else None,
        "explain_url": urls.path_with_args(url_for("webui.explain"), query) if request.q else None,
        "compare": None if len(result["hits"]) < 2 else {
            "action": url_for("webui.compare"), "hidden": [{"name": k, "value": v} for k, v in query],
            "kinds": [{"value": k, "selected": k == wanted} for k in KINDS]},
    }
