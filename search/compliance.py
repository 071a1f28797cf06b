"""Compliance (read side, over ``search.engine``): does each report have the parts the rules require, and was it
made public in time?

The rules (《法治政府建设与责任落实督察工作规定》, 2019): a report covers the year's main measures and results,
its shortcomings and their causes, the principal leaders' performance of their duty as 第一责任人 and next
year's plans (our section kinds ``PARTS``), and is made public "每年4月1日之前" (art. 24): before 1 April of
the year after the work year. So ``deadline`` is the last day allowed, YYYY+1-03-31 for work year YYYY, and a
report is ``on_time`` when its publish date is on or before it; ``on_time`` is None (unknown) when the work
year or the publish date is unknown or not a date.

A part is present when one of the report's level-1 sections carries its kind (sections inherit the kinds of
their level-1 ancestor: ``search.schema``), read from the index's per-report kind bits.

The reports and the facet counts come from the engine's own search with the same filters and no query, so the
page filters and counts exactly as /search does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from search.engine import MAX_LIMIT, Engine, QueryError, SearchRequest
from search.facets import active_filters
from search.schema import KINDS

PARTS = KINDS[:4]  # 举措成效 问题不足 第一责任人 下年安排
SORTS = ("year", "agency", "publish_date", "gaps")


def deadline(year: int | None) -> str | None:
    """The last day a report on work year ``year`` may be made public (art. 24: before 1 April of the next year)."""
    return f"{year + 1:04d}-03-31" if isinstance(year, int) else None


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def on_time(publish_date, year: int | None) -> bool | None:
    """True / False: made public by the deadline or not; None when the year or the date is unknown."""
    last, published = deadline(year), parse_date(publish_date)
    if last is None or published is None:
        return None
    return published <= dt.date.fromisoformat(last)


def parts_of(mask: int) -> dict[str, bool]:
    """Which required parts a report's kind bits (``search.columns.Columns.report_mask``) hold."""
    return {kind: bool(mask & (1 << KINDS.index(kind))) for kind in PARTS}


def entry(hit: dict, mask: int) -> dict:
    """One report's row: a search hit (metadata) and its kind bits."""
    parts = parts_of(mask)
    published = hit.get("publish_date")
    return {"file": hit["file"], "title": hit.get("title"), "agency": hit.get("agency"), "year": hit.get("year"),
            "publish_date": published if parse_date(published) else None, "deadline": deadline(hit.get("year")),
            "on_time": on_time(published, hit.get("year")), "parts": parts,
            "missing": [kind for kind in PARTS if not parts[kind]],
            "province": hit.get("province"), "city": hit.get("city"), "county": hit.get("county")}


def summary(rows: list[dict]) -> dict:
    return {"reports": len(rows), "complete": sum(1 for r in rows if not r["missing"]),
            "on_time": sum(1 for r in rows if r["on_time"] is True),
            "late": sum(1 for r in rows if r["on_time"] is False),
            "date_unknown": sum(1 for r in rows if r["on_time"] is None),
            "missing": {kind: sum(1 for r in rows if kind in r["missing"]) for kind in PARTS}}


@dataclass
class Compliance:
    filters: dict
    summary: dict
    reports: list[dict]
    facets: dict = field(default_factory=dict)
    sort: str = "year"

    def to_dict(self) -> dict:
        return {"filters": self.filters, "summary": self.summary, "reports": self.reports, "facets": self.facets,
                "sort": self.sort}


def all_hits(engine: Engine, request: SearchRequest) -> tuple[list[dict], dict]:
    """Every report passing ``request``'s filters (its query is left out), and the facet counts of that search."""
    hits: list[dict] = []
    page, facets = 1, {}
    while True:
        result = engine.search(replace(request, q="", mode="exact", sort="year", page=page, limit=MAX_LIMIT,
                                       sections=False))
        hits.extend(result.hits)
        facets = facets or result.facets
        if len(hits) >= result.total or not result.hits:
            return hits, facets
        page += 1


def rows_of(engine: Engine, hits: list[dict], keep_missing: bool = False) -> list[dict | None]:
    """The compliance rows of search hits. A report gone since the search (the index was rebuilt in between)
    is left out, or with ``keep_missing`` None in its place (rows stay aligned with ``hits``)."""
    with engine.reading() as st:
        ordinals = [st.columns.by_id.get(h["file"]) for h in hits]
        masks = [int(st.columns.report_mask[r]) if r is not None else None for r in ordinals]
    rows = [entry(h, m) if m is not None else None for h, m in zip(hits, masks)]
    return rows if keep_missing else [r for r in rows if r is not None]


def _sorted(rows: list[dict], sort: str) -> list[dict]:
    if sort == "agency":
        return sorted(rows, key=lambda r: (r["agency"] or "\uffff", -(r["year"] or 0), r["file"]))
    if sort == "publish_date":
        return sorted(rows, key=lambda r: (r["publish_date"] or "9999", r["file"]))
    if sort == "gaps":  # the most to follow up first: missing parts, then late, then an unknown date
        rank = {False: 0, None: 1, True: 2}
        return sorted(rows, key=lambda r: (-len(r["missing"]), rank[r["on_time"]], r["file"]))
    return rows  # the search's own order: newest year first, then file


def compliance(engine: Engine, request: SearchRequest, sort: str = "year") -> Compliance:
    """The compliance table of the reports passing ``request``'s filters (its query is ignored)."""
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    request = engine.resolve(request)  # its filters as the index holds them (广东省 → 广东), shown as such
    hits, facets = all_hits(engine, request)
    rows = _sorted(rows_of(engine, hits), sort)
    return Compliance(active_filters(request), summary(rows), rows, facets, sort)


def cell_state(rows: list[dict]) -> dict:
    """A matrix cell's compliance: how many of its reports are late, incomplete, of unknown date, and one
    state word (None without reports; "ok"; "late", "incomplete" or "late_incomplete"; "unknown" when none is
    late or incomplete but a date is unknown)."""
    late = sum(1 for r in rows if r["on_time"] is False)
    incomplete = sum(1 for r in rows if r["missing"])
    unknown = sum(1 for r in rows if r["on_time"] is None)
    flags = [word for word, n in (("late", late), ("incomplete", incomplete)) if n]
    state = "_".join(flags) or ("unknown" if unknown else "ok") if rows else None
    return {"state": state, "late": late, "incomplete": incomplete, "date_unknown": unknown}
