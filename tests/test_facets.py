"""search.facets on the seed index: counts equal the hit list's, a facet's own selection is left out of
its counts, the kind facet equals kind-filtered totals, year filters."""

from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest

from search.engine import SearchRequest
from search.facets import as_dicts, facet_values, field_facet, filter_sets, restrict, year_values
from search_helpers import found


@pytest.mark.parametrize("q", ["执法 记录仪", "公安", "法治 -执法记录仪", ""])
def test_facet_counts_equal_counts_from_the_hit_list(engine, q):
    _, result = found(engine, q)
    for name in ("province", "city", "county", "agency", "level", "sector", "year"):
        from_hits = Counter(h[name] for h in result.hits if h[name] is not None)
        from_facet = {f["value"]: f["count"] for f in result.facets[name]}
        assert dict(from_hits) == from_facet, name
    assert len(result.hits) == result.total


def test_selecting_a_facet_value_keeps_the_others_and_matches_its_count(engine):
    _, unfiltered = found(engine, "公安")
    cities = {f["value"]: f["count"] for f in unfiltered.facets["city"]}
    assert len(cities) > 1
    for city, count in cities.items():
        got, result = found(engine, "公安", city=[city])
        assert count == result.total
        assert cities == {f["value"]: f["count"] for f in result.facets["city"]}
        assert [city] == [f["value"] for f in result.facets["city"] if f["selected"]]


def test_kind_facet_counts_equal_kind_filtered_totals(engine):
    _, result = found(engine, "执法")
    assert result.facets["kind"]
    for f in result.facets["kind"]:
        _, filtered = found(engine, "执法", kind=[f["value"]])
        assert f["count"] == filtered.total
        for hit in filtered.hits:
            assert all(f["value"] in s["kinds"] for s in hit["sections"])


def test_year_filter_one_year_and_range(engine, grep):
    _, all_years = found(engine, "")
    years = Counter(h["year"] for h in all_years.hits)
    y = min(years)
    _, one = found(engine, "", year_from=y, year_to=y)
    _, span = found(engine, "", year_from=y, year_to=max(years))
    assert (years[y], len(grep)) == (one.total, span.total)


def test_kind_facet_counts_on_a_known_report(kind_engine):
    facets = kind_engine.search(SearchRequest(q="执法")).facets["kind"]
    assert [{"value": "举措成效", "count": 1, "selected": False},
            {"value": "问题不足", "count": 1, "selected": False}] == facets


def _columns(**codes_and_labels):
    """A stand-in for an index state: per facet field (codes, labels)."""
    return SimpleNamespace(columns=SimpleNamespace(codes={k: np.array(c) for k, (c, _) in codes_and_labels.items()},
                                                   labels={k: l for k, (_, l) in codes_and_labels.items()}))


FIELDS = {name: ([-1, -1, -1, -1], []) for name in ("province", "county", "agency", "level", "sector")}


def test_filter_sets_and_restrict():
    st = _columns(**FIELDS, city=([1, 0, 1, -1], ["广州", "深圳"]), year=([0, 1, 2, -1], [2020, 2021, 2022]))
    sets = filter_sets(st, SearchRequest(city=["深圳", "未知"], year_from=2021))
    assert {"city": [True, False, True, False], "year": [False, True, True, False]} == {
        k: v.tolist() for k, v in sets.items()}
    matched = np.array([True, True, True, True])
    assert [False, False, True, False] == restrict(matched, sets).tolist()
    assert [True, False, True, False] == restrict(matched, sets, skip="year").tolist()


def test_field_facet_counts_the_pool_most_first_then_by_value():
    st = _columns(city=([1, 0, 1, 2, -1], ["广州", "深圳", "珠海"]), year=([0, 1, 1, 0, 0], [2020, 2021]))
    pool = np.array([True, True, True, True, True])
    request = SearchRequest(city=["深圳", "东莞"], year_from=2021)
    assert [{"value": "深圳", "count": 2, "selected": True}, {"value": "广州", "count": 1, "selected": False},
            {"value": "珠海", "count": 1, "selected": False},
            {"value": "东莞", "count": 0, "selected": True}] == as_dicts(field_facet(st, "city", pool, request))
    assert [{"value": 2021, "count": 2, "selected": True},
            {"value": 2020, "count": 3, "selected": False}] == as_dicts(field_facet(st, "year", pool, request))


def test_facet_values_most_first_then_by_value_and_selected_ones_without_reports():
    counts = Counter({"b": 1, "a": 1, "c": 5})
    assert [{"value": "c", "count": 5, "selected": False}, {"value": "a", "count": 1, "selected": True},
            {"value": "b", "count": 1, "selected": False}] == as_dicts(facet_values(counts, ["a"]))
    assert [{"value": "c", "count": 5, "selected": False}, {"value": "b", "count": 1, "selected": False},
            {"value": "d", "count": 0, "selected": True}] == as_dicts(facet_values(Counter({"b": 1, "c": 5}), ["d"]))


@pytest.mark.parametrize("year_from, year_to, selected", [
    (None, None, []), (2021, 2021, [2021]), (2021, None, [2022, 2021]), (None, 2020, [2020]),
])
def test_year_values_newest_first_selected_in_range(year_from, year_to, selected):
    values = as_dicts(year_values([2020, 2022, 2021], np.array([1, 2, 3]),
                                  SearchRequest(year_from=year_from, year_to=year_to)))
    assert [2, 3, 1] == [v["count"] for v in values]
    assert [2022, 2021, 2020] == [v["value"] for v in values]
    assert selected == [v["value"] for v in values if v["selected"]]
