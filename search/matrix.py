"""Matrix (read side, over ``search.engine``): reports matching a query per place × year, beside reports held.

Each cell holds two numbers: ``matched`` (reports matching the query and the filters) and ``held`` (reports
passing the filters at all, the query left out). ``held == 0`` means no report of that place and year is in
the collection; ``matched == 0 < held`` means reports are there but none mentions the query. Without a query
the two are equal and the table is the coverage grid of the collection.

Both numbers come from the engine's own hit lists (``all_hits``), so a cell's ``matched`` is exactly the total
of the search with the same query, the same filters, the row's value and the cell's year.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

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

    table = []
    for key in keys:
        row = [{"year": y, "matched": matched[key, y], "held": held[key, y]} for y in years]
        table.append({"key": dict(zip(names, key)), "cells": row,
                      "matched": sum(c["matched"] for c in row), "held": sum(c["held"] for c in row)})
    by_year = (Counter(h.get("year") for h in matched_hits), Counter(h.get("year") for h in held_hits))
    totals = {"cells": [{"year": y, "matched": by_year[0][y], "held": by_year[1][y]} for y in years],
              "matched": len(matched_hits), "held": len(held_hits)}
    return Matrix(request.q, request.mode, rows, years, table, totals)
