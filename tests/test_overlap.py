"""search.overlap on a corpus built here: one report made of known paragraphs of two seeds, one holding a third
seed paragraph in traditional script with full-width digits, one with no copies, two sharing only quoted text."""

from __future__ import annotations

import re

import pytest

from builders import to_traditional
from search.engine import Engine, QueryError, SearchRequest
from search.fingerprints import MIN_CHARS
from search.overlap import Options, overlap, pairs
from search_helpers import OWN_1, OWN_2, QUOTED, copies_corpus, to_full_width

WORD = re.compile(r"[^\W_]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    found = copies_corpus(tmp_path_factory.mktemp("overlap"))
    engine = Engine(found["index"])
    yield {"engine": engine, **found}
    engine.close()


def content_span(text: str, piece: str, found_as: str | None = None) -> tuple[int, int]:
    """Where ``piece`` (as ``found_as`` in ``text``) starts and ends, its leading / trailing punctuation left out."""
    at = text.index(found_as or piece)
    words = [i for i, ch in enumerate(found_as or piece) if WORD.match(ch)]
    return at + words[0], at + words[-1] + 1


def passage(texts, here: str, there: str, piece: str, here_as: str | None = None, there_as: str | None = None) -> dict:
    """The passage ``piece`` as the overlap of ``here`` with ``there`` should give it."""
    start, end = content_span(texts[here], piece, here_as)
    other_start, other_end = content_span(texts[there], piece, there_as)
    return {"start": start, "end": end, "other_start": other_start, "other_end": other_end,
            "text": texts[here][start:end]}


def chars(text: str) -> int:
    return sum(1 for ch in text if WORD.match(ch))


def test_every_copied_paragraph_is_found_with_its_offsets_and_nothing_else(corpus):
    texts = corpus["texts"]
    result = overlap(corpus["engine"], "c.txt").to_dict()
    p1 = passage(texts, "c.txt", "a.txt", corpus["p1"])
    p2 = passage(texts, "c.txt", "b.txt", corpus["p2"])
    assert texts["a.txt"][p1["other_start"]:p1["other_end"]] == p1["text"]
    n1, n2 = chars(p1["text"]), chars(p2["text"])
    total = chars(texts["c.txt"])
    expected_sources = sorted([("a.txt", n1, [p1]), ("b.txt", n2, [p2])], key=lambda s: -s[1])
    assert {"report": "c.txt", "chars": total, "shared_chars": n1 + n2,
            "original_share": round(1 - (n1 + n2) / total, 4)} == {k: result[k] for k in (
                "report", "chars", "shared_chars", "original_share")}
    assert [(f, n, round(n / total, 4), ps) for f, n, ps in expected_sources] == [
        (s["file"], s["shared_chars"], s["share"], s["passages"]) for s in result["sources"]]
    assert {"agency", "year"} <= set(result["sources"][0])


def test_a_traditional_full_width_copy_is_still_found(corpus):
    texts = corpus["texts"]
    variant = to_full_width(to_traditional(corpus["p3"]))
    assert variant != corpus["p3"] and variant in texts["t.txt"]
    result = overlap(corpus["engine"], "t.txt").to_dict()
    expected = passage(texts, "t.txt", "a.txt", corpus["p3"], here_as=variant)
    assert [("a.txt", [expected])] == [(s["file"], s["passages"]) for s in result["sources"]]


def test_the_copied_report_lists_its_copies_the_other_way_round(corpus):
    texts = corpus["texts"]
    result = overlap(corpus["engine"], "a.txt").to_dict()
    p1 = passage(texts, "a.txt", "c.txt", corpus["p1"])
    p3 = passage(texts, "a.txt", "t.txt", corpus["p3"], there_as=to_full_width(to_traditional(corpus["p3"])))
    assert sorted([("c.txt", [p1]), ("t.txt", [p3])]) == sorted((s["file"], s["passages"]) for s in result["sources"])
    only = overlap(corpus["engine"], "a.txt", only=["c.txt"]).to_dict()
    assert [("c.txt", [p1])] == [(s["file"], s["passages"]) for s in only["sources"]]


def test_a_report_with_no_copies(corpus):
    result = overlap(corpus["engine"], "n.txt").to_dict()
    total = chars(corpus["texts"]["n.txt"])
    assert {"report": "n.txt", "chars": total, "shared_chars": 0, "original_share": 1.0, "sources": []} == {
        k: result[k] for k in ("report", "chars", "shared_chars", "original_share", "sources")}


def test_quoted_text_counts_unless_excluded(corpus):
    texts = corpus["texts"]
    inner = QUOTED[1:-1]
    assert chars(inner) >= MIN_CHARS
    found = overlap(corpus["engine"], "q1.txt").to_dict()
    expected = passage(texts, "q1.txt", "q2.txt", inner)
    assert [("q2.txt", [expected])] == [(s["file"], s["passages"]) for s in found["sources"]]
    excluded = overlap(corpus["engine"], "q1.txt", Options(exclude_quotes=True)).to_dict()
    assert ([], 0, True) == (excluded["sources"], excluded["shared_chars"], excluded["exclude_quotes"])


def test_raising_the_minimum_drops_the_shorter_passages(corpus):
    texts = corpus["texts"]
    n1 = chars(passage(texts, "c.txt", "a.txt", corpus["p1"])["text"])
    n2 = chars(passage(texts, "c.txt", "b.txt", corpus["p2"])["text"])
    longer, shorter = ("a.txt", "b.txt") if n1 > n2 else ("b.txt", "a.txt")
    result = overlap(corpus["engine"], "c.txt", Options(min_chars=min(n1, n2) + 1)).to_dict()
    assert [longer] == [s["file"] for s in result["sources"]]
    assert shorter and min(n1, n2) + 1 == result["min_chars"]


@pytest.mark.parametrize("options", [Options(min_chars=MIN_CHARS - 1), Options(limit=0), Options(min_chars="30")])
def test_bad_options_are_refused(corpus, options):
    with pytest.raises(QueryError):
        overlap(corpus["engine"], "c.txt", options)


def test_an_unknown_report_is_none(corpus):
    assert overlap(corpus["engine"], "nope.txt") is None


def test_the_collection_pairs_equal_the_reports_own_overlaps(corpus):
    engine = corpus["engine"]
    result = pairs(engine, SearchRequest()).to_dict()
    expected = set()
    for name in corpus["texts"]:
        one = overlap(engine, name).to_dict()
        for s in one["sources"]:
            if name < s["file"]:
                expected.add((name, s["file"], s["shared_chars"]))
    assert expected == {(p["a"]["file"], p["b"]["file"], p["shared_chars"]) for p in result["pairs"]}
    shares = [p["share"] for p in result["pairs"]]
    assert sorted(shares, reverse=True) == shares
    assert (len(corpus["texts"]), 0) == (result["reports"], result["common_fingerprints"])


def test_the_collection_is_filtered_like_search(corpus):
    engine = corpus["engine"]
    listed = {h["file"] for h in engine.search(SearchRequest(year_from=2021, year_to=2021, limit=100)).hits}
    result = pairs(engine, SearchRequest(year_from=2021, year_to=2021)).to_dict()
    assert len(listed) == result["reports"]
    assert all({p["a"]["file"], p["b"]["file"]} <= listed for p in result["pairs"])
    assert {"year_from": 2021, "year_to": 2021} == {k: result["filters"][k] for k in ("year_from", "year_to")}
    assert engine.search(SearchRequest(year_from=2021, year_to=2021)).facets == result["facets"]


def test_an_index_without_its_fingerprint_files_asks_for_a_rebuild(tmp_path):
    from search.fingerprints import SUFFIX
    from search.schema import IndexFormatError
    from search_helpers import build_index, make_report

    build_index(tmp_path, [make_report("x.txt", f"{OWN_1}\n{OWN_2}\n")])
    for path in tmp_path.glob(f"*{SUFFIX}"):
        path.unlink()
    engine = Engine(tmp_path)
    with pytest.raises(IndexFormatError, match="--rebuild"):
        overlap(engine, "x.txt")
    engine.close()


def _brute_force_runs(a, b, min_chars: int) -> set[tuple[int, int, int]]:
    """Every maximal equal run of at least ``min_chars`` at every shift, the slow way."""
    out = set()
    for shift in range(-len(a.codes), len(b.codes)):
        run = 0
        for i in range(max(0, -shift), min(len(a.codes), len(b.codes) - shift) + 1):
            same = i < min(len(a.codes), len(b.codes) - shift) and a.codes[i] == b.codes[i + shift]
            if same:
                run += 1
                continue
            if run >= min_chars:
                out.add((i - run, i, shift))
            run = 0
    return out


@pytest.mark.parametrize("seed", range(6))
def test_passages_are_every_shared_run_and_only_those(seed):
    import random

    from search.overlap import Side, _shifts, passages

    rng = random.Random(seed)

    def chunk(n):
        return "".join(chr(rng.randrange(0x4E00, 0x4F00)) for _ in range(n))

    shared = [chunk(rng.randrange(20, 90)) for _ in range(4)]
    a_text = "，".join(chunk(rng.randrange(0, 40)) + s for s in shared) + "。"
    b_text = "\n".join(s + chunk(rng.randrange(0, 40)) for s in reversed(shared)) + shared[0][:35]
    for min_chars in (MIN_CHARS, 45):
        a, b = Side.of(a_text, False, -1), Side.of(b_text, False, -2)
        found = passages(a, b, *_shifts(a, b), min_chars)
        assert _brute_force_runs(a, b, min_chars) == {(*p["_content"], p["_shift"]) for p in found}
