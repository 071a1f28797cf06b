"""Matrix (read side, over ``search.engine``): reports matching a query per place × year, beside reports held.

Each cell holds two numbers: ``matched`` (reports matching the query and the filters) and ``held`` (reports
passing the filters at all, the query left out). ``held == 0`` means no report of that place and year is in
the collection; ``matched == 0 < held`` means reports are there but none mentions the query. Without a query
the two are equal and the table is the coverage grid of the collection.

Both numbers come from the engine's own hit lists (``all_hits``), so a cell's ``matched`` is exactly the total
of the search with the same query, the same filters, the row's value and the cell's year.

Each cell (and row and total) also says how its held reports fare against the rules (``compliance``:
``search.compliance.cell_state``): how many are late, incomplete, of unknown date, and one state word.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from search.compliance import cell_state, rows_of
from search.engine import MAX_LIMIT, Engine, QueryError, SearchRequest

# rows → the report fields that identify a row (a city is named with its province: two cities may share a name)
ROWS = {"province": ("province",), "city": ("province", "city"), "agency": ("agency",)}


def all_hits(engine: Engine, request: SearchRequest) -> list[dict]:
    """Every report matching ``request`` (metadata only, no sections), whatever its paging says."""
    hits: list[dict] = []
    page = 1
    while True:
        wanted = replace(request, sort="year", page=page, limit=MAX_LIMIT, sections=False)
        result = engine.search(wanted)
        hits.extend(result.hits)
        if len(hits) >= result.total or not result.hits:
            return hits
        page += 1


def held_request(request: SearchRequest) -> SearchRequest:
    """The same filters without the query: the reports the collection holds for them."""
    return replace(request, q="", mode="exact")


@dataclass
class Matrix:
    query: str
    mode: str
    rows: str  # a key of ROWS
    years: list[int | None]  # every year from the first to the last held (None last: year unknown)
    table: list[dict] = field(default_factory=list)  # {"key": {field: value}, "cells": [...], "matched", "held"}
    totals: dict = field(default_factory=dict)  # {"cells": [...], "matched", "held"}

    def to_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "rows": self.rows, "years": self.years,
                "table": self.table, "totals": self.totals}


def _key(hit: dict, names: tuple[str, ...]) -> tuple:
    return tuple(hit.get(name) for name in names)


def _year_columns(years) -> list[int | None]:
    known = sorted(y for y in years if y is not None)
    columns: list[int | None] = list(range(known[0], known[-1] + 1)) if known else []
    if None in years:
        columns.append(None)
    return columns


def _sort_key(key: tuple) -> tuple:
    return tuple((value is None, value or "") for value in key)


def _rules(engine: Engine, held_hits: list[dict], names: tuple[str, ...]) -> dict[tuple, list[dict]]:
    """The compliance rows of the held reports per (row key, year), per (row key, "*"), ("*", year), ("*", "*")."""
    out: dict[tuple, list[dict]] = {}
    for hit, row in zip(held_hits, rows_of(engine, held_hits, keep_missing=True)):
        if row is not None:
            key, year = _key(hit, names), hit.get("year")
            for where in ((key, year), (key, "*"), ("*", year), ("*", "*")):
                out.setdefault(where, []).append(row)
    return out


def matrix(engine: Engine, request: SearchRequest, rows: str = "province") -> Matrix:
    """The ``rows`` × year table of ``request`` (its query, mode and filters; paging and sort are ignored)."""
    if rows not in ROWS:
        raise QueryError(f"rows must be one of {', '.join(ROWS)}, not {rows!r}")
    names = ROWS[rows]
    held_hits = all_hits(engine, held_request(request))
    matched_hits = all_hits(engine, request) if request.q.strip() else held_hits
    held = Counter((_key(h, names), h.get("year")) for h in held_hits)
    matched = Counter((_key(h, names), h.get("year")) for h in matched_hits)
    years = _year_columns({year for _, year in held} | {year for _, year in matched})
    keys = sorted({key for key, _ in held} | {key for key, _ in matched}, key=_sort_key)

    rules = _rules(engine, held_hits, names)
    table = []
    for key in keys:
        row = [{"year": y, "matched": matched[key, y], "held": held[key, y],
                "compliance": cell_state(rules.get((key, y), []))} for y in years]
        table.append({"key": dict(zip(names, key)), "cells": row,
                      "matched": sum(c["matched"] for c in row), "held": sum(c["held"] for c in row),
                      "compliance": cell_state(rules.get((key, "*"), []))})
    by_year = (Counter(h.get("year") for h in matched_hits), Counter(h.get("year") for h in held_hits))
    totals = {"cells": [{"year": y, "matched": by_year[0][y], "held": by_year[1][y],
                         "compliance": cell_state(rules.get(("*", y), []))} for y in years],
              "matched": len(matched_hits), "held": len(held_hits), "compliance": cell_state(rules.get(("*", "*"), []))}
    return Matrix(request.q, request.mode, rows, years, table, totals)
