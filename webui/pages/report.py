"""Web UI stage: one report (``/report/<id>``, ``/report.json?id=``): text, table of contents, matches.

The id is looked up in the index only (``Engine.report``), never used as a filesystem path. The text is cut
into paragraphs at line breaks; each paragraph gets a permalink id, each section an anchor for the table of
contents, and each match of the query a ``<mark id="m-N">`` for the previous / next navigation (the query
plan's hit terms, found as the search page finds them: ``search.snippets.merged_spans``).
"""

from __future__ import annotations

import bisect
import posixpath

from flask import current_app

from search.engine import Engine
from search.plan import QueryPlan
from search.snippets import merged_spans

from ..labels import FACET_LABELS, MODE_LABELS, display_title, value_label
from ..markup import highlighted
from ..urls import query_search_url, related_url, report_url

TOC_LEVELS = 2  # 一、 and （一）: deeper items (1. / 一是) are often whole sentences
META_FIELDS = ("agency", "province", "city", "county", "level", "sector", "year", "publish_date", "doc_date")
META_LABELS = {**FACET_LABELS, "publish_date": "发布日期", "doc_date": "成文日期"}


def build(engine: Engine, report_id: str, q: str = "", mode: str = "exact") -> dict | None:
    report = engine.report(report_id)
    if report is None:
        return None
    spans = merged_spans(report["text"], QueryPlan.of(q, mode).texts) if q else []
    data = {"report": report, "query": q, "mode": mode,
            "matches": [{"start": s, "end": e} for s, e in spans]}
    return {**data, "ui": _ui(report, q, mode, spans)}


def _ui(report: dict, q: str, mode: str, spans: list[tuple[int, int]]) -> dict:
    paragraphs = _paragraphs(report, spans)
    return {
        "title": display_title(report),
        "meta": [{"label": META_LABELS[k], "value": value_label(k, report[k])}
                 for k in META_FIELDS if report.get(k)],
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
    }


def _paragraphs(report: dict, spans: list[tuple[int, int]]) -> list[dict]:
    """The text's non-empty lines, each with its marks, section anchors and (bold) heading part."""
    sections = report.get("sections", [])
    starts = [s["start"] for s in sections]
    out, pos, mark_no = [], 0, 0
    for line in report["text"].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        here = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
        marks = [(a, b, f"m-{mark_no + i + 1}") for i, (a, b) in enumerate(here)]
        mark_no += len(marks)
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        indent = len(line) - len(line.lstrip())
        heading = next((sections[i] for i in range(first, last) if sections[i]["start"] <= start + indent), None)
        cut = min(max(heading["body_start"] - start, 0), len(line)) if heading else 0
        head, body = _split(marks, cut)
        n = len(out) + 1
        out.append({"id": f"p-{n}", "href": f"#p-{n}",
                    "anchors": [_anchor(sections[i], i) for i in range(first, last)],
                    "css": f"heading level-{min(int(heading.get('level') or 1), 3)}" if heading else "",
                    "head": highlighted(line[:cut], head), "html": highlighted(line[cut:], body),
                    "related_url": _related_url(report["file"], heading)})
    return out


def _related_url(report_id: str, heading: dict | None) -> str | None:
    """The 相似段落 link of a heading's section (sections of other reports like it)."""
    if heading is None or not isinstance(heading.get("index"), int):
        return None
    return related_url(report_id, heading["index"])


def _split(marks: list[tuple[int, int, str]], cut: int) -> tuple[list, list]:
    """Marks before / after offset ``cut`` (the heading's end); a mark across it continues without an id."""
    head, body = [], []
    for a, b, mark_id in marks:
        if b <= cut:
            head.append((a, b, mark_id))
        elif a >= cut:
            body.append((a - cut, b - cut, mark_id))
        else:
            head.append((a, cut, mark_id))
            body.append((0, b - cut, None))
    return head, body


def _anchor(section: dict, position: int) -> str:
    """The id search results link to (``s-<index>``, the section's index in the report)."""
    return f"s-{section.get('index', position)}"


def _http_url(url: str | None) -> str | None:
    """Only web links become links (never ``javascript:`` and the like)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None
