"""Compare (read side, over ``search.engine``): one kind of section of 2–4 reports, side by side.

A report's sections of a kind are its top-level sections (no parent) labelled with that kind, each with the
text of its sub-sections. The query's matches in them are found as on the report page: the hit terms of the
query plan (``search.plan``: positive terms, jieba words in the words mode, never title-scoped ones) searched
literally in normalized stored text (``search.snippets.merged_spans``): no jieba on stored text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from search import schema
from search.engine import Engine, QueryError, SearchRequest
from search.plan import QueryPlan
from search.snippets import merged_spans

KINDS = tuple(k for k in schema.KINDS if k != "其他")  # every kind but the catch-all
DEFAULT_KIND = "问题不足"
MIN_REPORTS, MAX_REPORTS = 2, 4
REPORT_FIELDS = ("file", "title", "agency", "province", "city", "county", "level", "sector", "year", "publish_date")


@dataclass
class Comparison:
    kind: str
    query: str
    mode: str
    reports: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # asked-for ids the index does not hold

    def to_dict(self) -> dict:
        return {"kind": self.kind, "query": self.query, "mode": self.mode, "reports": self.reports,
                "missing": self.missing}


def kind_sections(report: dict, kind: str, terms: list[str]) -> list[dict]:
    """The top-level sections of ``report`` (``Engine.report``) labelled ``kind``, with their sub-headings
    and matches (offsets relative to the section's text)."""
    sections = report["sections"]
    out = []
    for s in sections:
        if s.get("parent") is not None or kind not in (s.get("kinds") or []):
            continue
        start = s["start"]
        parts = [{"index": c["index"], "heading": c["heading"], "level": c["level"],
                  "start": c["start"] - start, "body_start": c["body_start"] - start}
                 for c in sections if start <= c["start"] < s["end"]]
        out.append({"index": s["index"], "heading": s["heading"], "kinds": list(s.get("kinds") or []),
                    "text": s["text"], "parts": parts, "matches": [list(span) for span in merged_spans(s["text"], terms)]})
    return out


def compare(engine: Engine, ids: list[str], kind: str = DEFAULT_KIND, q: str = "", mode: str = "exact") -> Comparison:
    """Sections of ``kind`` of the reports ``ids`` (in that order), the query's matches marked."""
    if kind not in KINDS:
        raise QueryError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if len(ids) > MAX_REPORTS:  # fewer than MIN_REPORTS is allowed: a filter may find only one
        raise QueryError(f"compare at most {MAX_REPORTS} reports, not {len(ids)}")
    terms = QueryPlan.of(q, mode).texts
    out = Comparison(kind, q, mode)
    for report_id in ids:
        report = engine.report(report_id)
        if report is None:
            out.missing.append(report_id)
            continue
        sections = kind_sections(report, kind, terms)
        out.reports.append({**{name: report.get(name) for name in REPORT_FIELDS}, "file": report_id,
                            "sections": sections, "matches": sum(len(s["matches"]) for s in sections)})
    return out


def pick(engine: Engine, request: SearchRequest, kind: str = DEFAULT_KIND) -> list[str]:
    """The first ``MAX_REPORTS`` reports of a search restricted to ``kind`` (best first, or newest first
    without a query): what "compare the 问题不足 of these filters" starts from."""
    wanted = replace(request, kind=[kind], page=1, limit=MAX_REPORTS, sections=False)
    if not request.q.strip():
        wanted.sort = "year"
    return [hit["file"] for hit in engine.search(wanted).hits]
