"""Facets (read side, after matching): the filters of a request and the counts of a result, datasette style.

A facet is kept compact (``Facet``: its values, their counts as a u4 array, whether each is selected), as the
result cache keeps it (``search.resultcache``): a 10k index's result has thousands of values. ``as_dicts``
makes the plain dicts ``{"value", "count", "selected"}`` a result hands out (the web UI adds each one's label and
toggle URL). Counts are bincounts of per-report value codes (``search.columns``) over the same boolean arrays as the
list (``restrict``), so they equal what the list holds; a facet's own selection is left out when counting
that facet, so its other values keep their counts. The kind facet counts the query evaluated for one kind
at a time (``search.matching``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import NamedTuple

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


class Facet(NamedTuple):
    """One facet's values in order, their counts (u4) and whether each is selected (bool)."""

    values: tuple
    counts: np.ndarray
    selected: np.ndarray


def facet(values, counts, selected) -> Facet:
    return Facet(tuple(values), np.asarray(counts, dtype=np.uint32), np.asarray(selected, dtype=bool))


def as_dicts(f: Facet) -> list[dict]:
    """A facet's values as the plain dicts a result hands out."""
    return [{"value": v, "count": n, "selected": sel}
            for v, n, sel in zip(f.values, f.counts.tolist(), f.selected.tolist())]


def facets(st, plan, matched: np.ndarray, filters: dict, request) -> dict[str, Facet]:
    """Every facet of a result: the facet fields, the year, then the section kind."""
    out = {name: field_facet(st, name, restrict(matched, filters, skip=name), request)
           for name in FACET_FIELDS + ("year",)}
    out["kind"] = kind_facet(st, plan, filters, request)
    return out


def field_facet(st, name: str, pool: np.ndarray, request) -> Facet:
    """The values of metadata field ``name`` among the reports of ``pool``: most reports first, then by
    value (labels are sorted by str), then the selected values without reports (count 0, by str); years newest
    first."""
    codes = st.columns.codes[name][pool]
    labels = st.columns.labels[name]
    tally = np.bincount(codes[codes >= 0], minlength=len(labels))
    held = np.flatnonzero(tally)
    if name == "year":
        return year_values([labels[i] for i in held.tolist()], tally[held], request)
    held = held[np.lexsort((held, -tally[held]))]
    selected = getattr(request, name)
    code_of = {v: i for v in selected for i in [bisect_left(labels, str(v), key=str)]
               if i < len(labels) and labels[i] == v}
    missing = sorted((v for v in selected if v not in code_of or not tally[code_of[v]]), key=str)
    return facet([labels[i] for i in held.tolist()] + missing, np.append(tally[held], np.zeros(len(missing))),
                 np.append(np.isin(held, list(code_of.values())), np.ones(len(missing), dtype=bool)))


def kind_facet(st, plan, filters: dict, request) -> Facet:
    """Per section kind: the reports the query matches when only sections of that kind count."""
    counts = Counter()
    for i, kind in enumerate(KINDS):
        n = int(np.count_nonzero(restrict(evaluate(st, plan.tree, 1 << i), filters)))
        if n:
            counts[kind] = n
    return facet_values(counts, request.kind)


def facet_values(counts: Counter, selected) -> Facet:
    """A few values (the section kinds): most reports first, then by value; selected values without reports
    are listed with count 0."""
    items = [(v, n) for v, n in counts.items()] + sorted(((v, 0) for v in selected if v not in counts), key=str)
    items.sort(key=lambda x: (-x[1], str(x[0])))
    wanted = set(selected)
    return facet([v for v, _ in items], [n for _, n in items], [v in wanted for v, _ in items])


def year_values(years: list, counts, request) -> Facet:
    """Years newest first; those of the request's years or year range are selected."""
    wanted = in_years(request)
    order = sorted(range(len(years)), key=lambda i: -years[i])
    return facet([years[i] for i in order], np.asarray(counts)[np.array(order, dtype=np.intp)],
                 [wanted is not None and wanted(years[i]) for i in order])
