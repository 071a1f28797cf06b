"""Web UI stage: one report (``/report/<id>``, ``/report.json?id=``): text, table of contents, matches.

The id is looked up in the index only (``Engine.report``), never used as a filesystem path. The text is cut
into paragraphs at line breaks; each paragraph gets a permalink id, each section an anchor for the table of
contents, and each match of the query a ``<mark id="m-N">`` for the previous / next navigation (the query
plan's hit terms, found as the search page finds them: ``search.snippets.merged_spans``).

With ``copies=1`` the page marks instead the passages the report shares with other reports
(``search.overlap``; ``source=`` restricts them to one other report, ``min_chars`` / ``quotes`` as on
/overlap), each mark (``c-<offset>``) linking to its other occurrence. Every paragraph has a button adding it
to the excerpt basket (``static/app.js``), named by its permalink (``<file>#p-N``, ``search.analysis.paragraph_lines``).
"""

from __future__ import annotations

import bisect
import posixpath

from flask import current_app, url_for

from search.analysis import paragraph_lines
from search.engine import Engine
from search.plan import QueryPlan
from search.schema import uncertain
from search.snippets import merged_spans
from search.titles import display_title

from .. import urls
from ..labels import EVIDENCE_LABELS, FACET_LABELS, MODE_LABELS, value_label
from ..markup import highlighted, linked
from ..params import ParamError, choice, report_ids
from ..urls import query_search_url, related_url, report_url

TOC_LEVELS = 2  # 一、 and （一）: deeper items (1. / 一是) are often whole sentences
META_FIELDS = ("agency", "province", "city", "county", "level", "sector", "year", "publish_date", "doc_date")
META_LABELS = {**FACET_LABELS, "publish_date": "发布日期", "doc_date": "成文日期"}


COPIES_PARAMS = ("copies", "source", "min_chars", "quotes")


def build(engine: Engine, report_id: str, q: str = "", mode: str = "exact", args=None) -> dict | None:
    """The page object; ``args`` (the query string) may switch on the copies view (``COPIES_PARAMS``)."""
    report = engine.report(report_id)
    if report is None:
        return None
    spans = merged_spans(report["text"], QueryPlan.of(q, mode).texts) if q else []
    data = {"report": report, "query": q, "mode": mode,
            "matches": [{"start": s, "end": e} for s, e in spans]}
    copies = _copies(engine, report_id, args) if args is not None else None
    if copies is not None:
        data["copies"] = copies["data"]
    return {**data, "ui": _ui(report, q, mode, spans, copies)}


def _copies(engine: Engine, report_id: str, args) -> dict | None:
    """The copies view's overlap and marks, or None when it is off."""
    from search.overlap import overlap

    from . import overlap as overlap_page

    if choice(args, "copies", ("0", "1")) != "1":
        if any(args.get(name) for name in COPIES_PARAMS[1:]):
            raise ParamError("参数 source、min_chars、quotes 只用于相同片段视图（copies=1）")
        return None
    settings = [(k, v) for k, v in urls.args_of(args) if k in ("min_chars", "quotes")]
    only = report_ids(args, "source", 1, 1) or None
    data = overlap(engine, report_id, overlap_page.options(args), only=only).to_dict()
    return {"data": data, "marks": overlap_page.copy_marks(data, settings), "source": only[0] if only else None,
            "settings": settings}


def _ui(report: dict, q: str, mode: str, spans: list[tuple[int, int]], copies: dict | None = None) -> dict:
    paragraphs = _paragraphs(report, spans, copies["marks"] if copies else None)
    return {
        "title": display_title(report),
        "meta": _meta(report),
        "source_file": posixpath.join(current_app.config["CORPUS_DIR"], report["file"]),
        "source_url": _http_url(report.get("source_url")),
        "toc": [{"heading": s["heading"], "anchor": _anchor(s, i), "level": int(s.get("level") or 1)}
                for i, s in enumerate(report.get("sections", [])) if int(s.get("level") or 1) <= TOC_LEVELS],
        "paragraphs": paragraphs,
        "q": q,
        "form_hidden": [{"name": "mode", "value": mode}] if mode != "exact" else [],
        "mode_label": MODE_LABELS[mode],
        "match_count": len(spans),
        "first_match": "#m-1" if spans else None,
        "permalink": report_url(report["file"]),
        "back_url": query_search_url(q, mode) if q else None,
        "copies": _copies_ui(report, copies),
    }


def _meta(report: dict) -> list[dict]:
    """The metadata rows, each with its evidence for the hover (``evidence``) and ``uncertain`` when it is a
    guess; a field left open with a note (same-sounding places of the address) shows as 未定."""
    evidence = report.get("evidence") or {}
    rows = []
    for k in META_FIELDS:
        ev = evidence.get(k)
        if not report.get(k) and not uncertain(ev):
            continue
        value = value_label(k, report[k]) if report.get(k) else "未定"
        hover = f"依据：{EVIDENCE_LABELS.get(ev['source'], ev['source'])}「{ev['text']}」" if ev else ""
        rows.append({"label": META_LABELS[k], "value": value, "evidence": hover, "uncertain": uncertain(ev)})
    return rows


def _copies_ui(report: dict, copies: dict | None) -> dict:
    """The copies switch and, when on, its summary line."""
    if copies is None:
        return {"on": False, "switch_url": report_url(report["file"], copies="1"), "switch_label": "标出与其他报告相同的文字"}
    data = copies["data"]
    source = next((s for s in data["sources"] if s["file"] == copies["source"]), None)
    text = (f"与 {display_title(source) if source else copies['source']} 相同的文字已标出" if copies["source"]
            else f"与其他报告相同的文字已标出：{data['shared_chars']} / {data['chars']} 字，涉及 {len(data['sources'])} 份报告")
    return {"on": True, "switch_url": report_url(report["file"]), "switch_label": "取消标记", "summary": text,
            "marks": len(copies["marks"]),
            "details_url": urls.path_with_args(url_for("webui.overlap"), [("id", report["file"])] + copies["settings"])}


def _paragraphs(report: dict, spans: list[tuple[int, int]], copy_marks: list | None = None) -> list[dict]:
    """The text's non-empty lines, each with its marks (or copy marks), section anchors and (bold) heading part."""
    sections = report.get("sections", [])
    starts = [s["start"] for s in sections]
    render = highlighted if copy_marks is None else linked
    out, mark_no = [], 0
    for n, start, end, line in paragraph_lines(report["text"]):
        if copy_marks is not None:
            marks = [(max(s, start) - start, min(e, end) - start, f"c-{s}" if s >= start else None, href, title)
                     for s, e, href, title in copy_marks if s < end and e > start]
        else:
            here = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
            marks = [(a, b, f"m-{mark_no + i + 1}") for i, (a, b) in enumerate(here)]
            mark_no += len(marks)
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        indent = len(line) - len(line.lstrip())
        heading = next((sections[i] for i in range(first, last) if sections[i]["start"] <= start + indent), None)
        cut = min(max(heading["body_start"] - start, 0), len(line)) if heading else 0
        head, body = _split(marks, cut)
        out.append({"id": f"p-{n}", "href": f"#p-{n}", "excerpt": f"{report['file']}#p-{n}",
                    "anchors": [_anchor(sections[i], i) for i in range(first, last)],
                    "css": f"heading level-{min(int(heading.get('level') or 1), 3)}" if heading else "",
                    "head": render(line[:cut], head), "html": render(line[cut:], body),
                    "related_url": _related_url(report["file"], heading)})
    return out


def _related_url(report_id: str, heading: dict | None) -> str | None:
    """The 相似段落 link of a heading's section (sections of other reports like it)."""
    if heading is None or not isinstance(heading.get("index"), int):
        return None
    return related_url(report_id, heading["index"])


def _split(marks: list[tuple], cut: int) -> tuple[list, list]:
    """Marks (start, end, id, …) before / after offset ``cut`` (the heading's end); a mark across it continues
    without an id."""
    head, body = [], []
    for a, b, mark_id, *more in marks:
        if b <= cut:
            head.append((a, b, mark_id, *more))
        elif a >= cut:
            body.append((a - cut, b - cut, mark_id, *more))
        else:
            head.append((a, cut, mark_id, *more))
            body.append((0, b - cut, None, *more))
    return head, body


def _anchor(section: dict, position: int) -> str:
    """The id search results link to (``s-<index>``, the section's index in the report)."""
    return f"s-{section.get('index', position)}"


def _http_url(url: str | None) -> str | None:
    """Only web links become links (never ``javascript:`` and the like)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None
