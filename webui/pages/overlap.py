"""Web UI stage: verbatim copies (``/overlap``, ``/overlap.json``, ``/overlap.csv``, ``/overlap.xlsx``).

With ``id``: the passages one report shares with others (``search.overlap.overlap``), each linking to its
other occurrence. Without: the pairs of reports, filtered like /search, that share the most
(``search.overlap.pairs``). ``min_chars`` raises the shortest passage counted, ``quotes=0`` leaves out text
in 《》 and quotation marks. ``build(engine, args)`` returns ``{"overlap": …, "ui": {...}}``; the JSON twin
returns ``overlap``; the CSV and Excel twins one row per passage (with id) or per pair.
"""

from __future__ import annotations

from flask import abort, url_for

from search.engine import Engine
from search.fingerprints import MIN_CHARS
from search.overlap import DEFAULT_LIMIT, MAX_CHARS, MAX_LIMIT, Options, overlap, pairs
from search.titles import display_title

from .. import urls
from ..params import ParamError, choice, filter_request, report_ids, whole_number
from .results import FACET_ORDER, _chips, facet_view

OWN_PARAMS = frozenset({"id", "min_chars", "quotes", "limit"})


def options(args) -> Options:
    """The copy-detection settings of a query string (shared with the report page's copies view)."""
    return Options(min_chars=whole_number(args, "min_chars", MIN_CHARS, MIN_CHARS, MAX_CHARS),
                   exclude_quotes=choice(args, "quotes", ("1", "0")) == "0",
                   limit=whole_number(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT))


def build(engine: Engine, args) -> dict:
    wanted = options(args)
    ids = report_ids(args, "id", 1, 1)
    args_list = urls.args_of(args)
    if ids:
        extra = sorted(set(args.keys()) - OWN_PARAMS)
        if extra:
            raise ParamError(f"查看单份报告时不能使用筛选参数：{'、'.join(extra)}")
        data = overlap(engine, ids[0], wanted)
        if data is None:
            abort(404, description=f"找不到该报告：{ids[0]}")
        data = data.to_dict()
        return {"overlap": data, "ui": _report_ui(engine, data, args_list)}
    request = filter_request(args, OWN_PARAMS)
    data = pairs(engine, request, wanted).to_dict()
    return {"overlap": data, "ui": _pairs_ui(data, request, args_list)}


def _settings(path: str, args: urls.Args, data: dict) -> dict:
    quotes = data["exclude_quotes"]
    return {
        "min_chars": data["min_chars"], "min_default": MIN_CHARS,
        "hidden": [{"name": k, "value": v} for k, v in args if k != "min_chars"],
        "quotes_label": "改为计入书名号、引号内的文字" if quotes else "排除书名号、引号内的文字",
        "quotes_url": urls.with_replaced(path, args, "quotes", None if quotes else "0"),
        "json_url": urls.path_with_args(url_for("webui.overlap_json"), args),
        "csv_url": urls.path_with_args(url_for("webui.overlap_csv"), args),
        "xlsx_url": urls.path_with_args(url_for("webui.overlap_xlsx"), args),
        "note": (f"相同片段：去掉标点和空白后连续 {data['min_chars']} 个字以上完全相同（繁简、全半角视为相同）"
                 + ("；书名号、引号内的文字不计" if quotes else "") + "。"),
    }


def _report_ui(engine: Engine, data: dict, args: urls.Args) -> dict:
    path = url_for("webui.overlap")
    report = engine.report(data["report"]) or {"file": data["report"]}
    copies = [(k, v) for k, v in args if k in ("min_chars", "quotes")]
    here = merged((p["start"], p["end"]) for s in data["sources"] for p in s["passages"])
    sources = []
    for s in data["sources"]:
        link = urls.report_url(s["file"], copies="1", source=data["report"], **dict(copies))
        there = merged((p["other_start"], p["other_end"]) for p in s["passages"])
        sources.append({
            "title": display_title(s), "url": urls.report_url(s["file"]), "share": _percent(s["share"]),
            "shared_chars": s["shared_chars"], "facts": " · ".join(str(x) for x in (s["agency"], s["year"]) if x),
            "passages": [{"text": p["text"], "here_url": urls.report_url(data["report"], copies="1", **dict(copies),
                                                                         _anchor=anchor(here, p["start"])),
                          "there_url": f"{link}#{anchor(there, p['other_start'])}"} for p in s["passages"]],
        })
    return {
        "mode": "report", "title": f"{display_title(report)} · 相同片段", "report_url": urls.report_url(data["report"]),
        "copies_url": urls.report_url(data["report"], copies="1", **dict(copies)),
        "summary": (f"共 {data['chars']} 字（不计标点），其中 {data['shared_chars']} 字与其他报告相同，"
                    f"原创比例 {_percent(data['original_share'])}；涉及 {len(data['sources'])} 份报告"),
        "checked_note": (f"有 {data['candidates']} 份报告可能与本报告相同，已比对相同指纹最多的 {data['checked']} 份"
                         if data["checked"] < data["candidates"] else ""),
        "sources": sources, **_settings(path, args, data),
    }


def _pairs_ui(data: dict, request, args: urls.Args) -> dict:
    path = url_for("webui.overlap")
    rows = []
    for p in data["pairs"]:
        a, b = p["a"], p["b"]
        rows.append({"a": _who(a), "b": _who(b), "share": _percent(p["share"]), "shared_chars": p["shared_chars"],
                     "passages": p["passages"], "a_url": urls.path_with_args(path, [("id", a["file"])]),
                     "b_url": urls.path_with_args(path, [("id", b["file"])])})
    note = (f"{data['common_fingerprints']} 个片段指纹出现在 {data['common_above']} 份以上报告中，视为通用表述，未用于配对"
            if data["common_fingerprints"] else "")
    return {
        "mode": "pairs", "title": "相同片段最多的报告", "rows": rows, "chips": _chips(request, path, args),
        "clear_url": urls.path_with_args(path, [(k, v) for k, v in args if k in ("min_chars", "quotes")]),
        "facets": [facet_view(name, data["facets"].get(name, []), path, args)
                   for name in FACET_ORDER if name != "kind" and data["facets"].get(name)],
        "summary": f"在 {data['reports']} 份报告中，{data['candidates']} 对报告有相同片段的迹象；列出比对后相同比例最高的 {len(rows)} 对",
        "common_note": note, **_settings(path, args, data),
    }


def _who(side: dict) -> dict:
    return {"title": display_title(side), "url": urls.report_url(side["file"]), "share": _percent(side["share"]),
            "facts": " · ".join(str(x) for x in (side["agency"], side["year"]) if x)}


def merged(spans) -> list[tuple[int, int]]:
    """[start, end) spans, overlapping or touching ones merged, in order."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def anchor(intervals: list[tuple[int, int]], pos: int) -> str:
    """The id (``c-<start>``) of the marked interval holding offset ``pos`` on a copies view."""
    start = next((s for s, e in intervals if s <= pos < e), pos)
    return f"c-{start}"


def copy_marks(data: dict, settings: urls.Args) -> list[tuple[int, int, str, str]]:
    """The marks of a report's copies view: its passages merged, each (start, end, link to the first source's
    other occurrence, tooltip). The other report's copies view, restricted to this report, marks the same runs."""
    intervals = merged((p["start"], p["end"]) for s in data["sources"] for p in s["passages"])
    there = {s["file"]: merged((p["other_start"], p["other_end"]) for p in s["passages"]) for s in data["sources"]}
    marks = []
    for start, end in intervals:
        found = [(s, p) for s in data["sources"] for p in s["passages"] if p["start"] < end and p["end"] > start]
        source, passage = found[0]
        href = urls.report_url(source["file"], copies="1", source=data["report"], **dict(settings),
                               _anchor=anchor(there[source["file"]], passage["other_start"]))
        others = len({s["file"] for s, _ in found})
        title = f"与 {display_title(source)} 相同" + (f"（共 {others} 份报告含此段）" if others > 1 else "")
        marks.append((start, end, href, title))
    return marks


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def table(data: dict) -> tuple[list[str], list[list]]:
    """The CSV / Excel rows: per passage of a report (with id), else per pair."""
    if "pairs" not in data:
        header = ["来源报告", "来源机关", "来源年份", "本报告起", "本报告止", "来源起", "来源止", "相同文字"]
        rows = [[s["file"], s["agency"], s["year"], p["start"], p["end"], p["other_start"], p["other_end"], p["text"]]
                for s in data["sources"] for p in s["passages"]]
        return header, rows
    header = ["报告甲", "机关甲", "年份甲", "报告乙", "机关乙", "年份乙", "相同字数", "相同比例", "甲中占比", "乙中占比", "相同片段数"]
    rows = [[p["a"]["file"], p["a"]["agency"], p["a"]["year"], p["b"]["file"], p["b"]["agency"], p["b"]["year"],
             p["shared_chars"], p["share"], p["a"]["share"], p["b"]["share"], p["passages"]] for p in data["pairs"]]
    return header, rows
