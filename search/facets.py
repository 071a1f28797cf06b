"""Facets (read side, after matching): the filters of a request and the counts of a result, datasette style.

Each facet value is a plain dict ``{"value", "count", "selected"}`` (the web UI adds its label and toggle
URL). Counts are bincounts of per-report value codes (``search.columns``) over the same boolean arrays as the
list (``restrict``), so they equal what the list holds; a facet's own selection is left out when counting
that facet, so its other values keep their counts. The kind facet counts the query evaluated for one kind
at a time (``search.matching``).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from search.matching import evaluate
from search.schema import FACET_FIELDS, KINDS


def filter_sets(st, request) -> dict[str, np.ndarray]:
    """The reports passing each active filter (facet fields and year), as boolean arrays."""
    cols = st.columns
    sets = {}
    for name in FACET_FIELDS:
        wanted = set(getattr(request, name))
        if wanted:
            codes = [i for i, v in enumerate(cols.labels[name]) if v in wanted]
            sets[name] = np.isin(cols.codes[name], codes)
    if in_years(request) is not None:
        codes = [i for i, y in enumerate(cols.labels["year"]) if in_years(request)(y)]
        sets["year"] = np.isin(cols.codes["year"], codes)
    return sets


def in_years(request):
    """The request's year filter as a test of one year (its set of years, or its range); None: no filter."""
    lo, hi, years = request.year_from, request.year_to, set(request.years)
    if years:
        return years.__contains__
    if lo is None and hi is None:
        return None
    return lambda y: (lo is None or y >= lo) and (hi is None or y <= hi)


def active_filters(request) -> dict:
    """A request's filters as plain data (the analysis pages' JSON): each facet's values, the year range."""
    out = {name: list(getattr(request, name)) for name in FACET_FIELDS}
    out["kind"] = list(request.kind)
    out["year_from"], out["year_to"] = request.year_from, request.year_to
    out["years"] = list(request.years)
    return out


def restrict(reports: np.ndarray, filters: dict, skip: str | None = None) -> np.ndarray:
    """``reports`` (a boolean array) passing every filter but ``skip``'s."""
    out = reports
    for name, passing in filters.items():
        if name != skip:
            out = out & passing
    return out


def facets(st, plan, matched: np.ndarray, filters: dict, request) -> dict[str, list[dict]]:
    """Every facet of a result: the facet fields, the year, then the section kind."""
    out = {name: field_facet(st, name, restrict(matched, filters, skip=name), request)
           for name in FACET_FIELDS + ("year",)}
    out["kind"] = kind_facet(st, plan, filters, request)
    return out


def field_facet(st, name: str, pool: np.ndarray, request) -> list[dict]:
    """The values of metadata field ``name`` among the reports of ``pool``: most reports first, then by
    value (labels are sorted by str); years newest first."""
    codes = st.columns.codes[name][pool]
    labels = st.columns.labels[name]
    tally = np.bincount(codes[codes >= 0], minlength=len(labels))
    held = np.flatnonzero(tally)
    if name == "year":
        return year_values(Counter(dict(zip([labels[i] for i in held.tolist()], tally[held].tolist()))), request)
    held = held[np.lexsort((held, -tally[held]))]
    counts = Counter(dict(zip([labels[i] for i in held.tolist()], tally[held].tolist())))
    return facet_values(counts, getattr(request, name), ordered=True)


def kind_facet(st, plan, filters: dict, request) -> list[dict]:
    """Per section kind: the reports the query matches when only sections of that kind count."""
    counts = Counter()
    for i, kind in enumerate(KINDS):
        n = int(np.count_nonzero(restrict(evaluate(st, plan.tree, 1 << i), filters)))
        if n:
            counts[kind] = n
    return facet_values(counts, request.kind)


def facet_values(counts: Counter, selected, ordered: bool = False) -> list[dict]:
    """Values as dicts, most reports first, then by value; selected values without reports are listed with
    count 0. ``ordered``: ``counts`` already comes in that order."""
    wanted = set(selected)
    values = [{"value": v, "count": n, "selected": v in wanted} for v, n in counts.items()]
    missing = sorted((v for v in selected if v not in counts), key=str)
    values.extend({"value": v, "count": 0, "selected": True} for v in missing)
    if not ordered:
        values.sort(key=lambda x: (-x["count"], str(x["value"])))
    return values


def year_values(counts: Counter, request) -> list[dict]:
    """Years as dicts, newest first; those of the request's years or year range are selected."""
    wanted = in_years(request)
    values = [{"value": v, "count": n, "selected": wanted is not None and wanted(v)} for v, n in counts.items()]
    values.sort(key=lambda x: -x["value"])
    return values
