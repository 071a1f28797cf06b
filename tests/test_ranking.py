"""search.ranking: reports by score (or by year), sections by score."""

from search.engine import SearchRequest


def test_hits_ranked_and_sections_ordered_by_score(engine):
    result = engine.search(SearchRequest(q="法治 公安", limit=50))
    scores = [h["score"] for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for h in result.hits:
        sec = [s["score"] for s in h["sections"]]
        assert sec == sorted(sec, reverse=True)


def test_sort_by_year(engine):
    years = [h["year"] for h in engine.search(SearchRequest(q="公安", sort="year", limit=100)).hits]
    assert years == sorted(years, reverse=True)
