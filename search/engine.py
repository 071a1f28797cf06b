"""Search engine (read side): a request → one result object (reports, their sections, facets, snippets).

``Engine.search`` runs one request through the stages, each a module of its own, in one direction:
0. ``search.filters``: the filter values as the index holds them (广东省 → 广东), or an error naming close ones.
1. ``search.plan``: the query parsed (``search.query``) into one plan: its terms, groups, scopes, words, grams.
2. ``search.matching``: the plan's tree evaluated over the gram files into a boolean array over reports,
   for the selected section kinds (``search.state`` holds the open generation, ``search.columns`` its arrays).
3. ``search.facets``: the filters, and the facet counts over the same arrays as the list.
4. ``search.ranking``: the listed reports in order (by their best sections, scored from the index; or by year).
5. ``search.hits``: the reports of the page, with their matching sections and snippets (``search.snippets``).
6. The words mode suggested where an exact search found few reports; a short name's other form offered
   (``search.abbreviations``); for a query that found nothing, the closest index word (``search.suggest``).

The engine itself opens the index, swaps to a new generation when ``CURRENT`` changes, and locks the state
for each reader. Results are cached per generation (``search.resultcache``, on the state): a repeated request
is answered from there, and a swap starts a new cache.
"""

from __future__ import annotations

import gc
import math
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search.abbreviations import also
from search.facets import facets, filter_sets, restrict
from search.filters import FilterError, held_values, resolve, resolve_value
from search.hits import hits
from search.matching import evaluate
from search.plan import QueryPlan
from search.query import QueryError
from search.ranking import order
from search.resultcache import MAX_LIMIT as CACHE_LIMIT
from search.resultcache import expanded, request_key
from search.schema import VALUE_FACETS, IndexFormatError, IndexMissingError, current_generation
from search.state import IndexState, QueryTimeout
from search.suggest import did_you_mean

__all__ = ["Engine", "SearchRequest", "SearchResult", "QueryError", "FilterError", "QueryTimeout"]

MODES = ("exact", "words")
SORTS = ("relevance", "year")
MAX_LIMIT = 10000
SUGGEST_BELOW = 3  # exact results at or below this: offer the words mode
REFRESH_SECONDS = 1.0
SEARCH_TIME_LIMIT = 10.0  # seconds; a query that needs more is cut off with a message
# Allocations between the collector's young passes, at least, in a process with an engine: a page makes thousands
# of small dicts (a 10k index's facet values, hits), and at CPython's 700 the collector ran several times a page
# and every tenth time walked the older objects too (a millisecond a page at 10k).
GC_YOUNG = 20_000


@dataclass
class SearchRequest:
    q: str = ""
    mode: str = "exact"
    province: list[str] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    county: list[str] = field(default_factory=list)
    agency: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    years: list[int] = field(default_factory=list)  # several years (a set, like the other filters)
    sort: str = "relevance"
    page: int = 1
    limit: int = 10
    sections: bool = True  # False: hits without sections/snippets (listing every file of a big result)
    every_section: bool = False  # True: every section with a match (the exports), not only the best ones

    def validate(self) -> None:
        if self.mode not in MODES:
            raise QueryError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if not isinstance(self.page, int) or self.page < 1:
            raise QueryError(f"page must be a whole number ≥ 1, not {self.page!r}")
        if not isinstance(self.limit, int) or not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit!r}")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise QueryError(f"year range {self.year_from}-{self.year_to} is empty: the first year is later")
        if self.years and (self.year_from is not None or self.year_to is not None):
            raise QueryError("give either several years or one year range, not both")
        for name in VALUE_FACETS:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, [value] if value else [])


@dataclass
class SearchResult:
    query: str
    mode: str
    total: int
    page: int
    limit: int
    hits: list[dict]
    facets: dict[str, list[dict]]
    suggestion: dict | None = None
    notices: list[str] = field(default_factory=list)
    also: list[dict] = field(default_factory=list)  # the other form of a short name: {term, means, q, total}
    did_you_mean: dict | None = None  # a slip's closest index word: {q, term, word, count}

    def to_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "total": self.total, "page": self.page,
                "limit": self.limit, "hits": self.hits, "facets": self.facets, "suggestion": self.suggestion,
                "notices": self.notices, "also": self.also, "did_you_mean": self.did_you_mean}


# --------------------------------------------------------------------------------------------------
# The engine


class Engine:
    """One per process: opens the index, reopens when CURRENT changes, answers searches thread-safely."""

    def __init__(self, index_dir, time_limit: float = SEARCH_TIME_LIMIT):
        self.index_dir = Path(index_dir)
        self.time_limit = time_limit
        self._lock = threading.Lock()
        self._state = IndexState(self.index_dir)
        self._checked = 0.0
        self._closed = False
        young, *older = gc.get_threshold()
        if 0 < young < GC_YOUNG:
            gc.set_threshold(GC_YOUNG, *older)

    # ---------------------------------------------------------------- generations

    def state(self) -> IndexState:
        now = time.monotonic()
        if now - self._checked >= REFRESH_SECONDS:
            self._checked = now
            st = self._state
            changed = current_generation(self.index_dir) != st.generation
            if not changed:
                try:
                    changed = st.ix.latest_generation() != st.version
                except OSError:
                    changed = True
            if changed:
                with self._lock:
                    if self._state is st:
                        try:
                            fresh = IndexState(self.index_dir)
                        except (IndexMissingError, IndexFormatError, OSError):
                            return st  # mid-swap or broken: keep serving the open generation
                        self._state = fresh
                        st.close()
        return self._state

    @contextmanager
    def reading(self):
        """The current index state (searcher, columns), locked for one reader; a state closed by a refresh
        in between is never used. For read-side modules that need the open searcher (related, matrix)."""
        while True:
            if self._closed:
                raise RuntimeError("this Engine was closed")
            st = self.state()
            st.lock.acquire()
            if not st.closed:
                break
            st.lock.release()
        try:
            yield st
        finally:
            st.lock.release()

    def __del__(self):
        # An engine dropped without close() (a script, a test) still releases its index files.
        try:
            self.close()
        except Exception:
            pass

    def close(self) -> None:
        """Release the open index (the engine is unusable afterwards)."""
        with self._lock:
            self._closed = True
            self._state.close()

    def refresh(self) -> None:
        """Reopen now if the index changed (tests, admin)."""
        self._checked = 0.0
        self.state()

    # ---------------------------------------------------------------- search

    def search(self, request: SearchRequest) -> SearchResult:
        """One result page: the plan, then matching, facets, ranking, hits and the suggestion, in that order."""
        request.validate()
        key = request_key(request)
        with self.reading() as st:
            cached = st.results.get(key)
        if cached is not None:
            return expanded(cached)
        with self.reading() as st, _deadline(st, self.time_limit):
            request = resolve(request, st.columns.labels)
            plan = QueryPlan.of(request.q, request.mode, request.kind)
            matched = evaluate(st, plan.tree, plan.kmask)
            filters = filter_sets(st, request)
            listed = restrict(matched, filters)
            counts = facets(st, plan, matched, filters, request)
            start = (request.page - 1) * request.limit
            ordered, scores, scored = order(st, plan, listed, request.sort, start + request.limit)
            shown = hits(st, plan, ordered[start:start + request.limit].tolist(), scores, scored, request.sections,
                         request.every_section)
            total = int(np.count_nonzero(listed))
            suggestion = _suggest(st, plan, filters, total)
            offers = _also(st, plan, filters)
            slip = did_you_mean(st, plan.q, plan.typed) if total == 0 and plan.mode == "exact" else None
            result = SearchResult(request.q, request.mode, total, request.page, request.limit, shown, counts,
                                  suggestion, list(plan.notices), offers, slip)
            if request.limit <= CACHE_LIMIT:
                st.results.put(key, result)
        return expanded(result)

    def memo(self, key: tuple, make):
        """``make()`` (bytes: a rendered page), kept for ``key`` as long as the generation it was made from is served
        (``IndexState.pages``: the last ``search.resultcache.MAX_PAGES``, ``MAX_PAGE_BYTES`` at most): a page asked
        again is not made again. ``make`` must depend only on ``key`` and on what this engine reads. A value made
        while a new generation was swapped in is kept with the old one, which no later call reads: never a stale
        page."""
        with self.reading() as st:
            cached = st.pages.get(key)
        if cached is not None:
            return cached
        value = make()
        st.pages.put(key, value)
        return value

    def resolve(self, request: SearchRequest) -> SearchRequest:
        """``request`` with its filter values as the index holds them (广东省 → 广东, 四平 → 四平市公安局); an
        unknown or ambiguous value raises ``search.filters.FilterError``."""
        with self.reading() as st:
            return resolve(request, st.columns.labels)

    def resolve_value(self, name: str, value: str) -> str:
        """One filter value of facet ``name`` as the index holds it (the same rules as ``resolve``)."""
        with self.reading() as st:
            return resolve_value(name, value, held_values(st.columns.labels, name))

    # ---------------------------------------------------------------- the report page

    def report(self, report_id: str) -> dict | None:
        """A whole report: its metadata, text and sections (None: no such report in the index)."""
        with self.reading() as st:
            r = st.columns.by_id.get(report_id)
            if r is None:
                return None
            stored = st.texts.report(r)  # shared: read only
        head = stored[0]
        text = "".join(s.get("text") or "" for s in stored)
        out = {name: head.get(name) for name in ("title", "agency", "province", "city", "county", "level",
                                                  "sector", "year", "publish_date", "doc_date", "source_url")}
        out["evidence"] = dict(head.get("evidence") or {})
        out["file"] = report_id
        out["text"] = text
        out["sections"] = [{
            "index": s["offsets"]["index"], "heading": s.get("heading") or "", "level": s.get("sec_level"),
            "path": list(s.get("path") or []), "kinds": list(s.get("kinds") or []),
            "start": s["offsets"]["start"], "end": s["offsets"]["end"], "body_start": s["offsets"]["body_start"],
            "parent": s["offsets"].get("parent"), "text": text[s["offsets"]["start"]:s["offsets"]["end"]],
        } for s in stored if s["offsets"]["index"] >= 0]
        return out


# --------------------------------------------------------------------------------------------------
# helpers


@contextmanager
def _deadline(st: IndexState, seconds: float):
    st.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        st.deadline = math.inf


def _also(st: IndexState, plan: QueryPlan, filters: dict) -> list[dict]:
    """Exact mode: each short name's other form as a query of its own, with the reports it finds."""
    if plan.mode != "exact" or plan.typed is None:
        return []
    out = []
    for offer in also(plan.q, plan.typed):
        other = QueryPlan.of(offer["q"], "exact")
        n = int(np.count_nonzero(restrict(evaluate(st, other.tree, plan.kmask), filters)))
        out.append({**offer, "total": n})
    return out


def _suggest(st: IndexState, plan: QueryPlan, filters: dict, total: int) -> dict | None:
    """The words mode, where it finds more reports than an exact search that found few."""
    if plan.mode != "exact" or total > SUGGEST_BELOW or not plan.terms:
        return None
    words_tree = plan.words_tree
    if words_tree == plan.typed:
        return None
    n = int(np.count_nonzero(restrict(evaluate(st, words_tree, plan.kmask), filters)))
    if n <= total:
        return None
    return {"mode": "words", "q": plan.q, "total": n}
