"""search.matrix and search.trend on the seed index: every cell equals the search it stands for."""

from collections import Counter

import pytest

from search.engine import QueryError, SearchRequest
from search.matrix import ROWS, all_hits, matrix
from search.trend import OVERALL, trend

QUERIES = ["", "执法记录仪", "执法", "复议 -记录仪", "同句(执法 规范)", "没有这个词语呀"]


def total(engine, q="", mode="exact", **filters) -> int:
    return engine.search(SearchRequest(q=q, mode=mode, limit=10000, sections=False, **filters)).total


def narrowed(key: dict, year) -> dict:
    filters = {name: [value] for name, value in key.items()}
    return {**filters, "year_from": year, "year_to": year}


@pytest.mark.parametrize("rows", list(ROWS))
@pytest.mark.parametrize("q", QUERIES)
def test_each_cell_equals_the_search_of_its_place_and_year(engine, q, rows):
    grid = matrix(engine, SearchRequest(q=q), rows)
    for row in grid.table:
        for cell in row["cells"]:
            assert (total(engine, q, **narrowed(row["key"], cell["year"])),
                    total(engine, "", **narrowed(row["key"], cell["year"]))) == (cell["matched"], cell["held"])
    assert (total(engine, q), total(engine)) == (grid.totals["matched"], grid.totals["held"])


@pytest.mark.parametrize("rows", list(ROWS))
@pytest.mark.parametrize("q", QUERIES)
def test_cells_equal_counts_from_the_hit_list(engine, q, rows):
    hits = engine.search(SearchRequest(q=q, limit=10000)).hits
    names = ROWS[rows]
    expected = Counter((tuple(h[n] for n in names), h["year"]) for h in hits)
    grid = matrix(engine, SearchRequest(q=q), rows)
    found = Counter({(tuple(row["key"][n] for n in names), c["year"]): c["matched"]
                     for row in grid.table for c in row["cells"] if c["matched"]})
    assert expected == found
    assert [sum(expected[k, y] for k in {k for k, _ in expected}) for y in grid.years] == [
        c["matched"] for c in grid.totals["cells"]]


def test_coverage_grid_is_the_labelled_collection(engine, truth):
    grid = matrix(engine, SearchRequest(), "province")
    years = sorted({t["year"] for t in truth})
    assert list(range(years[0], years[-1] + 1)) == grid.years
    held = Counter((t["province"], t["year"]) for t in truth)
    assert held == Counter({(row["key"]["province"], c["year"]): c["held"]
                            for row in grid.table for c in row["cells"] if c["held"]})
    assert all(c["matched"] == c["held"] for row in grid.table for c in row["cells"])


def test_filters_narrow_both_numbers(engine, truth):
    grid = matrix(engine, SearchRequest(q="执法", province=["广东"], year_from=2020, year_to=2020), "city")
    cities = sorted(t["city"] for t in truth if t["province"] == "广东" and t["year"] == 2020)
    assert [{"province": "广东", "city": c} for c in cities] == [row["key"] for row in grid.table]
    assert [2020] == grid.years
    assert len(cities) == grid.totals["held"]


def test_unknown_rows_is_a_query_error(engine):
    with pytest.raises(QueryError):
        matrix(engine, SearchRequest(), "county")


def test_all_hits_pages_through_every_report(engine, truth):
    assert sorted(t["file"] for t in truth) == sorted(h["file"] for h in all_hits(engine, SearchRequest(limit=2)))


@pytest.mark.parametrize("q", QUERIES[1:])
def test_trend_shares_are_matched_over_held_per_year(engine, truth, q):
    data = trend(engine, SearchRequest(q=q))
    provinces = sorted({t["province"] for t in truth})
    assert [OVERALL] + provinces == [s["name"] for s in data.series]
    years = sorted({t["year"] for t in truth})
    assert list(range(years[0], years[-1] + 1)) == data.years
    for series in data.series:
        for point in series["points"]:
            filters = narrowed(series["key"], point["year"])
            matched, held = total(engine, q, **filters), total(engine, "", **filters)
            share = round(matched / held, 4) if held else None
            assert {"year": point["year"], "matched": matched, "held": held, "share": share} == point
