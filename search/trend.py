"""Trend (read side, over ``search.matrix``): the share of reports mentioning a query, per year.

One series for the whole collection (within the filters) and one per province: for each year, ``matched``
reports of ``held`` (the matrix's two numbers, so a point equals the search of that year and province) and
their ``share`` (None where no report is held: no point rather than a false zero). Reports without a known
year cannot be placed on the axis; they are counted apart in ``undated``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.engine import Engine, SearchRequest
from search.matrix import matrix

OVERALL = "全部"


@dataclass
class Trend:
    query: str
    mode: str
    years: list[int]
    series: list[dict] = field(default_factory=list)  # {"name", "key", "matched", "held", "points": [...]}
    undated: dict = field(default_factory=dict)  # {"matched", "held"} of reports without a year

    def to_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "years": self.years, "series": self.series,
                "undated": self.undated}


def share(matched: int, held: int) -> float | None:
    return round(matched / held, 4) if held else None


def _series(name: str, key: dict, cells: list[dict], years: list[int]) -> dict:
    by_year = {c["year"]: c for c in cells}
    points = [{"year": y, "matched": by_year[y]["matched"], "held": by_year[y]["held"],
               "share": share(by_year[y]["matched"], by_year[y]["held"])} for y in years]
    return {"name": name, "key": key, "matched": sum(p["matched"] for p in points),
            "held": sum(p["held"] for p in points), "points": points}


def trend(engine: Engine, request: SearchRequest) -> Trend:
    """Shares per year of ``request`` (its query, mode and filters), overall first, then by province."""
    grid = matrix(engine, request, "province")
    years = [y for y in grid.years if y is not None]
    series = [_series(OVERALL, {}, grid.totals["cells"], years)]
    for row in grid.table:
        if row["key"]["province"] is not None:
            series.append(_series(row["key"]["province"], row["key"], row["cells"], years))
    undated = next((c for c in grid.totals["cells"] if c["year"] is None), {"matched": 0, "held": 0})
    return Trend(grid.query, grid.mode, years, series,
                 {"matched": undated["matched"], "held": undated["held"]})
