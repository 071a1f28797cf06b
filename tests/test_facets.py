"""search.facets on the seed index: counts equal the hit list's, a facet's own selection is left out of
its counts, the kind facet equals kind-filtered totals, year filters."""

from collections import Counter

import pytest

from search.engine import SearchRequest
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
