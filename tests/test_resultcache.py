"""search.resultcache: repeated requests are answered from the open generation's cache, never across a
generation swap."""

from __future__ import annotations

from build_helpers import SEEDS
from indexer.build import build
from search.engine import Engine, SearchRequest
from search.resultcache import ResultCache, request_key


def test_a_repeated_request_is_answered_from_the_cache_with_a_copy_of_its_own(engine):
    request = SearchRequest(q="执法记录仪", province=["广东"], limit=3)
    first = engine.search(request).to_dict()
    cache = engine._state.results
    hits = cache.hits
    again = engine.search(SearchRequest(q="执法记录仪", province=["广东"], limit=3))
    assert (first, hits + 1) == (again.to_dict(), cache.hits)
    again.hits.clear()  # a caller changing its result does not change the cached one
    assert first == engine.search(SearchRequest(q="执法记录仪", province=["广东"], limit=3)).to_dict()
    assert engine.search(SearchRequest(q="执法记录仪", province=["广东"], limit=3, page=2)).to_dict() != first


def test_after_a_generation_swap_the_new_index_answers(built):
    """A real build swaps a generation in: the engine's next answer is the new index's, equal to a fresh
    engine's, though the old one was cached."""
    corpus, index_dir = built
    engine = Engine(index_dir)
    request = dict(q="法治", limit=50)
    before = engine.search(SearchRequest(**request)).to_dict()
    assert before == engine.search(SearchRequest(**request)).to_dict()
    (corpus / SEEDS[0].name).unlink()
    (corpus / "added.txt").write_bytes(SEEDS[1].read_bytes())
    assert build(corpus, index_dir, workers=1).changed
    engine.refresh()
    after = engine.search(SearchRequest(**request)).to_dict()
    fresh = Engine(index_dir)
    assert fresh.search(SearchRequest(**request)).to_dict() == after
    assert (SEEDS[0].name in {h["file"] for h in before["hits"]}, SEEDS[0].name in {h["file"] for h in after["hits"]},
            "added.txt" in {h["file"] for h in after["hits"]}) == (True, False, True)
    fresh.close()
    engine.close()


def test_a_memo_is_made_once_per_generation(built):
    """``Engine.memo`` (the web UI's rendered pages): made once while a generation is served, made again from the
    new generation after a real build swaps it in."""
    corpus, index_dir = built
    engine = Engine(index_dir)
    made = []

    def total() -> bytes:  # what a page would be: bytes
        made.append(1)
        return str(engine.search(SearchRequest(q="法治")).total).encode()

    first = engine.memo(("page", "/search?q=法治"), total)
    assert (first, 1) == (engine.memo(("page", "/search?q=法治"), total), len(made))
    assert (first, 2) == (engine.memo(("page", "/other"), total), len(made))  # another key
    (corpus / "added.txt").write_bytes(SEEDS[0].read_bytes().replace("公安局".encode(), "法治公安局".encode()))
    for seed in SEEDS[1:]:
        (corpus / seed.name).unlink()
    assert build(corpus, index_dir, workers=1).changed
    engine.refresh()
    after = engine.memo(("page", "/search?q=法治"), total)
    assert (3, Engine(index_dir).search(SearchRequest(q="法治")).total) == (len(made), int(after))
    assert after != first
    engine.close()


def test_least_recently_used_results_go_first():
    cache = ResultCache(max_entries=2)
    cache.put(("a",), "A")
    cache.put(("b",), "B")
    assert "A" == cache.get(("a",))  # b is now the least recently used
    cache.put(("c",), "C")
    assert (["A", None, "C"], 2) == ([cache.get((k,)) for k in "abc"], len(cache))


def test_a_cache_with_a_size_keeps_at_most_its_bytes():
    cache = ResultCache(max_entries=10, max_bytes=10, size=len)
    for key, value in [("a", b"1234"), ("b", b"12345"), ("a", b"12"), ("c", b"1234")]:
        cache.put((key,), value)  # a again: replaced, counted once
    assert ([None, b"12", b"1234"], 6) == ([cache.get((k,)) for k in "bac"], cache.nbytes)
    cache.put(("d",), b"x" * 20)  # larger than the whole cache: kept alone
    assert ([None, None, b"x" * 20], 20) == ([cache.get((k,)) for k in "acd"], cache.nbytes)


def test_results_are_kept_within_their_estimated_bytes(engine):
    from search.resultcache import MAX_BYTES, result_bytes

    cache = engine._state.results
    for q in ["公安", "执法", "法治", "2021", "依法"]:
        engine.search(SearchRequest(q=q))
    held = [entry for entry, _ in cache._items.values()]
    assert held and cache.nbytes == sum(result_bytes(r) for r in held) <= MAX_BYTES


def test_whole_listings_are_not_cached(engine):
    from search.resultcache import MAX_LIMIT

    cache = engine._state.results
    before = len(cache)
    engine.search(SearchRequest(q="公安", limit=MAX_LIMIT + 1))
    assert before == len(cache)
    engine.search(SearchRequest(q="公安", limit=MAX_LIMIT))
    assert before + 1 == len(cache)


def test_the_key_is_every_field_of_the_validated_request():
    a, b = SearchRequest(q="法", city="深圳"), SearchRequest(q="法", city=["深圳"])
    a.validate()
    b.validate()
    assert request_key(a) == request_key(b)
    assert request_key(a) != request_key(SearchRequest(q="法", city=["深圳"], sort="year"))
