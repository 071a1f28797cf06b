"""Search engine (read side): a request → one result object (reports, their sections, facets, snippets).

How a page is made:
1. ``search.query`` parses the query into a tree of terms.
2. Each term is looked up in the gram files (``search.grams``; grams as in ``search.analysis``): a
   one-gram term is one key's postings, which also say in which section kinds it occurs; a longer term
   intersects its grams' reports, then keeps the addresses (report and position) where every gram sits
   at its offset, all as numpy arrays over the whole index at once, so the answer is exactly "the
   normalized text contains the term". A term's answer is an array: per report, the bit set of the
   section kinds it was found in (0: not found), from one searchsorted of its match addresses over every
   section's start. Answers are cached per index generation.
3. The tree is evaluated with boolean arrays over reports (terms of one report may sit in different
   sections), for the selected kinds. Facet counts are bincounts of per-report value codes over the same
   arrays, so they equal what the list holds.
4. Reports are ranked by BM25F on jieba words over report-level fields (``rwords``, ``rheadings``,
   ``title``: one posting per report, read block by block into arrays), plus a bonus where a typed term of several
   words occurs as typed. Only the reports shown get sections (ordered by a BM25 of their literal
   matches, boosted in headings) and snippets (``search.snippets``): no jieba on stored text.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager
from array import array
from bisect import bisect_right
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from search import query as ql
from search.analysis import (BREAK, SENTENCE_GRAMS, gram_width, normalize, normalize_text, query_grams,
                             query_words)
from search.query import QueryError
from search.schema import (ALL_KINDS, FACET_FIELDS, KINDS, NO_KIND, IndexFormatError, IndexMissingError,
                           current_generation, open_index_path)
from search.grams import SHIFT, GramFile, GramFileError, GramPostings, gram_key, member
from search.grams import path_for as gram_path
from search.postings import blocks
from search.snippets import match_spans, snippets

__all__ = ["Engine", "SearchRequest", "SearchResult", "QueryError", "QueryTimeout"]

MODES = ("exact", "words")
SORTS = ("relevance", "year")
MAX_LIMIT = 10000
SUGGEST_BELOW = 3  # exact results at or below this: offer the words mode
FACETS = FACET_FIELDS + ("year", "kind")
META = ("province", "city", "county", "agency", "level", "sector", "year")
LEAF_CACHE = 32_000_000  # bytes of cached term answers (one byte per report each)
POSITION = (1 << SHIFT) - 1  # an address's position bits
REFRESH_SECONDS = 1.0
WORDS_CACHE = 64  # ranking scores of recent query words (a dict of ≤ one float per report each)
RANK_FIELDS = (("rwords", 1.0), ("rheadings", 2.0), ("title", 1.5))  # head documents: one per report
K1, B = 1.2, 0.75
ADJACENT_BOOST = 1.0
HEADING_BOOST = 2.0
AVG_SECTION_CHARS = 600


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
    sort: str = "relevance"
    page: int = 1
    limit: int = 10
    sections: bool = True  # False: hits without sections/snippets (listing every file of a big result)

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
        for name in FACET_FIELDS + ("kind",):
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

    def to_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "total": self.total, "page": self.page,
                "limit": self.limit, "hits": self.hits, "facets": self.facets, "suggestion": self.suggestion,
                "notices": self.notices}


# --------------------------------------------------------------------------------------------------
# Per-generation state: the searcher and everything cached about it


class QueryTimeout(QueryError):
    """A search that ran past the engine's time limit (it is stopped, not left running)."""


SEARCH_TIME_LIMIT = 10.0  # seconds; a query that needs more is cut off with a message


class _State:
    """One opened index generation: searcher, per-document columns, per-report metadata, gram files,
    term cache. Reports are ordinals 0..R-1; term answers and result sets are numpy arrays over them."""

    deadline = math.inf  # set for the duration of one search (the state is locked by its reader)

    def __init__(self, index_dir):
        self.ix, self.path = open_index_path(index_dir)
        self.generation = current_generation(index_dir)
        self.version = self.ix.latest_generation()
        self.searcher = self.ix.searcher()
        self.reader = self.searcher.reader()
        self.lock = threading.RLock()
        self.closed = False
        self.leaves: OrderedDict = OrderedDict()
        self._universe: dict[int, np.ndarray] = {}
        self.words_cache: OrderedDict = OrderedDict()
        self.gram_files: list[tuple[GramFile, int]] = []
        try:
            self._load_columns()
            self._open_grams()
        except BaseException:
            self.close()
            raise

    def _open_grams(self) -> None:
        for sub, base in self.reader.leaf_readers():
            path = gram_path(self.path, sub.segment().segment_id())
            try:
                self.gram_files.append((GramFile(path), base))
            except GramFileError as e:
                raise IndexFormatError(f"index {self.path}: {e}; rebuild it with: reports-index build CORPUS "
                                       "--index-dir DIR --rebuild") from None

    def _load_columns(self) -> None:
        n = self.reader.doc_count_all()
        doc_report = np.full(n, -1, dtype=np.int64)
        doc_mask = np.zeros(n, dtype=np.int64)
        doc_sec = np.zeros(n, dtype=np.int64)
        self.reports: list[dict] = []
        self.report_docs: list[list[int]] = []
        self.by_id: dict[str, int] = {}
        slots: dict[int, array] = {}  # report → section start/body-start positions, pairs
        for sub, base in self.reader.leaf_readers():
            cols = {name: list(sub.column_reader(name))
                    for name in ("report_id", "kmask", "sec_index", "slots") + META}
            live = set(sub.all_doc_ids())
            for i, rid in enumerate(cols["report_id"]):
                if i not in live:
                    continue
                d = base + i
                r = self.by_id.get(rid)
                if r is None:
                    r = self.by_id[rid] = len(self.reports)
                    self.reports.append({"file": rid, **dict.fromkeys(META)})
                    self.report_docs.append([])
                if cols["sec_index"][i] < 0:  # the head document holds the report's metadata
                    meta = self.reports[r]
                    for name in META:
                        meta[name] = cols[name][i] or None
                    if not isinstance(meta["year"], int) or not 1000 <= meta["year"] <= 9999:
                        meta["year"] = None  # a missing number reads as the column's default
                    slots[r] = array("i", cols["slots"][i] or b"")
                doc_report[d] = r
                doc_mask[d] = cols["kmask"][i] or NO_KIND
                doc_sec[d] = cols["sec_index"][i]
                self.report_docs[r].append(d)
        for docs in self.report_docs:
            docs.sort(key=lambda d: doc_sec[d])
        self.doc_report, self.doc_sec = doc_report, doc_sec
        self.doc_mask = doc_mask
        R = len(self.reports)
        self.heads = np.array([docs[0] for docs in self.report_docs], dtype=np.int64)
        self.report_mask = np.zeros(R, dtype=np.uint8)
        np.bitwise_or.at(self.report_mask, doc_report[doc_report >= 0], doc_mask[doc_report >= 0].astype(np.uint8))
        # Every section of the index, ordered by address (head docnum << SHIFT | exact-text position):
        # a match's address finds its section (kinds, heading) with one searchsorted over all reports.
        # A first sentinel (docnum -1) is what a match before its report's first section finds.
        sec_addr, sec_body, sec_mask, sec_doc = [-1], [-1], [NO_KIND], [-1]
        self.sec_starts: list[array] = []
        for r, docs in enumerate(self.report_docs):
            pairs = slots.get(r, array("i"))
            starts, bodies = pairs[0::2], pairs[1::2]
            self.sec_starts.append(starts)
            masks = [int(doc_mask[d]) for d in docs if doc_sec[d] >= 0]
            head = docs[0] << SHIFT
            k = min(len(starts), len(bodies), len(masks))
            sec_addr.extend(head | s for s in starts[:k])
            sec_body.extend(head | b for b in bodies[:k])
            sec_mask.extend(masks[:k])
            sec_doc.extend([docs[0]] * k)
        order = np.argsort(np.array(sec_addr, dtype=np.int64), kind="stable")
        self.sec_addr = np.array(sec_addr, dtype=np.int64)[order]
        self.sec_body = np.array(sec_body, dtype=np.int64)[order]
        self.sec_mask = np.array(sec_mask, dtype=np.uint8)[order]
        self.sec_doc = np.array(sec_doc, dtype=np.int64)[order]
        # facet values as codes: one bincount per facet
        self.codes: dict[str, np.ndarray] = {}
        self.labels: dict[str, list] = {}
        for name in META:
            values = [meta[name] for meta in self.reports]
            labels = sorted({v for v in values if v is not None}, key=str)
            index = {v: i for i, v in enumerate(labels)}
            self.labels[name] = labels
            self.codes[name] = np.array([index.get(v, -1) for v in values], dtype=np.int64)
        # the default order (newest year first, then file name) as one rank per report
        by_year = sorted(range(R), key=lambda r: (-(self.reports[r]["year"] or 0), self.reports[r]["file"]))
        self.year_rank = np.empty(R, dtype=np.int64)
        self.year_rank[by_year] = np.arange(R)
        # BM25 length normalization per head document and ranking field, computed once
        self.norms: dict[str, np.ndarray] = {}
        for fieldname, _ in RANK_FIELDS:
            lengths = np.array([self.reader.doc_field_length(int(d), fieldname, 0) or 0 for d in self.heads],
                               dtype=np.float64)
            avg = (lengths.mean() if len(lengths) else 0.0) or 1.0
            norms = np.full(n, K1, dtype=np.float64)
            norms[self.heads] = K1 * (1 - B + B * lengths / avg)
            self.norms[fieldname] = norms

    def none(self) -> np.ndarray:
        return np.zeros(len(self.reports), dtype=np.uint8)

    def idf(self, df: int) -> float:
        n = max(len(self.reports), 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def report_scores(self, terms, typed=()) -> np.ndarray:
        """BM25F of each report over its whole text (``rwords``), headings and title (head documents:
        one posting per report, read block by block), plus a bonus where a typed term of several
        words occurs literally (its words adjacent as typed)."""
        acc = np.zeros(len(self.reports), dtype=np.float64)
        idfs = {}
        for w in dict.fromkeys(w for t in terms for w in query_words(t.text)):
            idfs[w], scores = self.word_scores(w)
            acc += scores
        for t in typed:
            ws = query_words(t.text)
            if len(ws) > 1 and t.scope == "all":
                acc[self.leaf(t) != 0] += ADJACENT_BOOST * sum(idfs.get(w, 0.0) for w in ws)
        return acc

    def word_scores(self, w: str) -> tuple[float, np.ndarray]:
        """(idf, per report: BM25F of word ``w`` over the ranking fields), cached per generation."""
        hit = self.words_cache.get(w)
        if hit is not None:
            self.words_cache.move_to_end(w)
            return hit
        n = max(len(self.reports), 1)
        acc = np.zeros(len(self.reports), dtype=np.float64)
        best_idf = 0.0
        for fieldname, boost in RANK_FIELDS:
            df = self.reader.doc_frequency(fieldname, w)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            best_idf = max(best_idf, idf)
            ids, tfs = [], []
            for offset, leaf in blocks(self.reader, fieldname, w):
                if leaf._weights is None:
                    leaf._read_weights()
                ids.append(np.asarray(leaf._ids, dtype=np.int64) + offset)
                tfs.append(np.asarray(leaf._weights, dtype=np.float64))
            docs, tf = np.concatenate(ids), np.concatenate(tfs)
            r = self.doc_report[docs]
            live = r >= 0
            docs, tf, r = docs[live], tf[live], r[live]
            acc[r] += boost * idf * (K1 + 1) * tf / (tf + self.norms[fieldname][docs])
        self.words_cache[w] = (best_idf, acc)
        if len(self.words_cache) > WORDS_CACHE:
            self.words_cache.popitem(last=False)
        return best_idf, acc

    def rarest_grams(self, texts) -> list[tuple[int, GramPostings]]:
        """For each text (that has grams): its rarest gram's offset in it and postings."""
        out = []
        for text in texts:
            grams = query_grams(text)
            if grams:
                postings = [(rel, self.postings(gram_key(g))) for rel, g in grams]
                out.append(min(postings, key=lambda x: len(x[1].docs)))
        return out

    def sections_with(self, r: int, rarest) -> set[int]:
        """Indexes of report r's sections (-1: title, agency or preamble) where a text may start: where
        its rarest gram sits in the report (``rarest_grams``). Only these sections' stored text is read."""
        head = np.array([self.report_docs[r][0]], dtype=np.int64)
        sec_starts = self.sec_starts[r]
        found: set[int] = set()
        for rel, p in rarest:
            for pos in (p.addresses(head) & POSITION).tolist():
                found.add(bisect_right(sec_starts, pos - rel) - 1)
        return found

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.searcher.close()
            for gf, _ in self.gram_files:
                gf.close()

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise QueryTimeout("查询过于复杂，未能在时限内完成，已停止：请缩短检索词或减少检索词的数量")

    # ---------------------------------------------------------------- term lookup

    def postings(self, key: int) -> GramPostings:
        self.check_deadline()
        return GramPostings(self.gram_files, key)

    def leaf(self, node) -> np.ndarray:
        """Per report: OR of the kind masks of the sections where ``node`` (Term/Near) matches (0: none).
        Cached per generation; callers must not modify it."""
        key = ql.normalized_key(node)
        hit = self.leaves.get(key)
        if hit is not None:
            self.leaves.move_to_end(key)
            return hit
        if isinstance(node, ql.Near):
            result = self._near(node)
        elif node.scope == "title":  # a report-level property: holds whatever kinds are selected
            result = self._exact(node.text, title=True)
        else:
            result = self._exact(node.text, heading=node.scope == "heading")
        result.flags.writeable = False
        self.leaves[key] = result
        while len(self.leaves) * max(len(self.reports), 1) > LEAF_CACHE and len(self.leaves) > 1:
            self.leaves.popitem(last=False)
        return result

    def _aligned(self, grams, title: bool = False, within: np.ndarray | None = None):
        """(sorted addresses where every gram of a term sits at its relative position, docs holding all
        grams); ``within``: only these head docnums (sorted)."""
        plist = sorted(((rel, self.postings(gram_key(g, title))) for rel, g in grams), key=lambda x: len(x[1].docs))
        cand = plist[0][1].docs if within is None else within
        for _, p in plist[(0 if within is not None else 1):]:
            cand = cand[member(cand, p.docs)]
            if not len(cand):
                return np.zeros(0, dtype=np.int64), cand
        cand = cand[self.doc_report[cand] >= 0]
        rel0, p0 = plist[0]
        starts = p0.addresses(cand) - rel0
        for rel, p in plist[1:]:
            if not len(starts):
                break
            self.check_deadline()
            starts = starts[member(starts + rel, p.addresses(cand))]
        return starts, cand

    def _exact(self, text: str, title: bool = False, heading: bool = False) -> np.ndarray:
        """Per report: kinds of the sections where ``text`` starts (in a heading, if ``heading``)."""
        grams = query_grams(text)
        out = self.none()
        if not grams:
            return out
        if len(grams) == 1 and not heading:  # one gram: its postings say where, and in which kinds
            p = self.postings(gram_key(grams[0][1], title))
            r = self.doc_report[p.docs]
            live = r >= 0
            out[r[live]] = ALL_KINDS if title else p.masks[live]
            return out
        starts, _ = self._aligned(grams, title)
        if title:
            r = self.doc_report[starts >> SHIFT]
            out[r] = ALL_KINDS
            return out
        width = max(rel + gram_width(g) for rel, g in grams)
        return self._kinds_at(starts, width, heading)

    def _kinds_at(self, starts: np.ndarray, width: int = 1, heading: bool = False) -> np.ndarray:
        """Per report: OR of the kinds of the sections holding these match addresses (NO_KIND before a
        report's first section); with ``heading``, only matches inside a heading count."""
        out = self.none()
        if not len(starts):
            return out
        docs = starts >> SHIFT
        i = np.searchsorted(self.sec_addr, starts, side="right") - 1  # ≥ 0: the sentinel comes first
        inside = self.sec_doc[i] == docs
        masks = np.where(inside, self.sec_mask[i], NO_KIND).astype(np.uint8)
        if heading:
            keep = inside & (starts + width <= self.sec_body[i])
            docs, masks = docs[keep], masks[keep]
        reports = self.doc_report[docs]
        R = len(self.reports)
        for bit in range(len(KINDS) + 1):
            has = np.bincount(reports[(masks >> bit) & 1 == 1], minlength=R) > 0
            out[has] |= np.uint8(1 << bit)
        return out

    def _near(self, node) -> np.ndarray:
        """同句/同段: every term starts in one sentence/paragraph (units end at their break grams)."""
        terms = [query_grams(t) for t in node.terms]
        if not all(terms):
            return self.none()
        cand = None
        for grams in terms:
            for _, g in grams:
                docs = self.postings(gram_key(g)).docs
                cand = docs if cand is None else cand[member(cand, docs)]
        cand = cand[self.doc_report[cand] >= 0]
        if not len(cand):
            return self.none()
        breaks = [self.postings(gram_key(g)).addresses(cand) for g in
                  (SENTENCE_GRAMS if node.unit == "sentence" else (BREAK,))]
        bounds = np.sort(np.concatenate(breaks + [cand << SHIFT]))  # a report's start bounds its first unit
        common = None
        first = None
        for grams in terms:
            width = max(rel + gram_width(g) for rel, g in grams)
            starts, _ = self._aligned(grams, within=cand)
            units = np.searchsorted(bounds, starts, side="right")
            whole = np.searchsorted(bounds, starts + width - 1, side="right") == units  # no break inside
            starts, units = starts[whole], units[whole]
            if first is None:
                first = (starts, units)
            common = np.unique(units) if common is None else np.intersect1d(common, units)
            if not len(common):
                return self.none()
        starts, units = first
        return self._kinds_at(starts[member(units, common)], 1)

    # ---------------------------------------------------------------- report-level evaluation

    def universe(self, kmask: int) -> np.ndarray:
        """Reports with at least one document of the given kinds (cached; callers must not mutate)."""
        hit = self._universe.get(kmask)
        if hit is None:
            hit = self._universe[kmask] = (self.report_mask & kmask) != 0
            hit.flags.writeable = False
        return hit

    def evaluate(self, node, kmask: int) -> np.ndarray:
        """Reports (a boolean array) matching ``node`` when only sections of kinds in ``kmask`` count."""
        if node is None:
            return self.universe(kmask)
        if isinstance(node, (ql.Term, ql.Near)):
            return (self.leaf(node) & kmask) != 0
        if isinstance(node, ql.Not):
            return self.universe(kmask) & ~self.evaluate(node.child, kmask)
        if isinstance(node, ql.Or):
            out = np.zeros(len(self.reports), dtype=bool)
            for c in node.children:
                out |= self.evaluate(c, kmask)
            return out
        positives = [c for c in node.children if not isinstance(c, ql.Not)]
        negatives = [c.child for c in node.children if isinstance(c, ql.Not)]
        out = None
        for c in positives:
            s = self.evaluate(c, kmask)
            out = s.copy() if out is None else out & s
            if not out.any():
                return out
        if out is None:
            out = self.universe(kmask).copy()
        for c in negatives:
            out &= ~self.evaluate(c, kmask)
        return out


# --------------------------------------------------------------------------------------------------
# The engine


class Engine:
    """One per process: opens the index, reopens when CURRENT changes, answers searches thread-safely."""

    def __init__(self, index_dir, time_limit: float = SEARCH_TIME_LIMIT):
        self.index_dir = Path(index_dir)
        self.time_limit = time_limit
        self._lock = threading.Lock()
        self._state = _State(self.index_dir)
        self._checked = 0.0
        self._closed = False

    # ---------------------------------------------------------------- generations

    def state(self) -> _State:
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
                            fresh = _State(self.index_dir)
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
        request.validate()
        parsed = ql.parse(request.q)
        tree = ql.to_words(parsed.tree) if request.mode == "words" else parsed.tree
        with self.reading() as st, _deadline(st, self.time_limit):
            kmask = _kind_mask(request.kind)
            matched = st.evaluate(tree, kmask)
            filters = _filter_sets(st, request)
            listed = _restrict(st, matched, filters)
            facets = self._facets(st, tree, matched, filters, request)
            typed = ql.positive_terms(parsed.tree)
            order, scores = self._order(st, tree, listed, request, typed)
            start = (request.page - 1) * request.limit
            shown = order[start:start + request.limit].tolist()
            hits = self._hits(st, tree, shown, kmask, scores, typed, request.sections)
            total = int(np.count_nonzero(listed))
            suggestion = self._suggest(st, parsed.tree, request, filters, total)
        return SearchResult(request.q, request.mode, total, request.page, request.limit, hits, facets,
                            suggestion, parsed.notices)

    def _facets(self, st: _State, tree, matched, filters, request: SearchRequest) -> dict[str, list[dict]]:
        """Counts of reports per value; a facet's own selection is ignored when counting that facet."""
        facets = {}
        for name in FACET_FIELDS + ("year",):
            pool = _restrict(st, matched, filters, skip=name)
            codes = st.codes[name][pool]
            tally = np.bincount(codes[codes >= 0], minlength=len(st.labels[name]))
            held = np.flatnonzero(tally)
            if name != "year":  # most reports first, then by value (labels are sorted by str)
                held = held[np.lexsort((held, -tally[held]))]
            labels = st.labels[name]
            counts = Counter(dict(zip([labels[i] for i in held.tolist()], tally[held].tolist())))
            facets[name] = _facet_values(name, counts, request, ordered=name != "year")
        counts = Counter()
        for i, kind in enumerate(KINDS):
            n = int(np.count_nonzero(_restrict(st, st.evaluate(tree, 1 << i), filters)))
            if n:
                counts[kind] = n
        facets["kind"] = _facet_values("kind", counts, request)
        return facets

    def _order(self, st: _State, tree, listed: np.ndarray, request: SearchRequest, typed):
        """Reports in page order (an array of ordinals) and their relevance scores (an array over all
        reports, or None when sorted by year; see ``_State.report_scores``)."""
        reports = np.flatnonzero(listed)
        terms = ql.positive_terms(tree)
        if request.sort == "year" or not terms or not len(reports):
            return reports[np.argsort(st.year_rank[reports], kind="stable")], None
        scores = st.report_scores(terms, typed)
        return reports[np.lexsort((st.year_rank[reports], -scores[reports]))], scores

    def _hits(self, st: _State, tree, shown: list[int], kmask: int, scores, typed,
              with_sections: bool = True) -> list[dict]:
        terms = [t for t in ql.positive_terms(tree) if t.scope != "title"]
        texts = [t.text for t in terms]
        idf = [st.idf(int(np.count_nonzero(st.leaf(t)))) for t in terms]
        phrases = [t.text for t in typed if t.scope != "title" and len(query_words(t.text)) > 1]
        leaves = ql.positive_leaves(tree)
        nears = [x for x in leaves if isinstance(x, ql.Near)]
        alone = {t.text for t in leaves if isinstance(t, ql.Term)}
        in_heading = {i for i, t in enumerate(terms) if t.scope == "heading"}
        hits = []
        rarest = st.rarest_grams(texts) if with_sections and shown else []
        for r in shown:
            meta = st.reports[r]
            head = st.searcher.stored_fields(st.report_docs[r][0])
            sections = []
            candidates = st.sections_with(r, rarest) if rarest else set()
            for d in st.report_docs[r]:
                sec = int(st.doc_sec[d])
                if sec not in candidates or not st.doc_mask[d] & kmask:
                    continue
                stored = st.searcher.stored_fields(d)
                text = stored.get("text") or ""
                folded = normalize(text)  # once per section: spans, phrases and scores share it
                spans = match_spans(text, texts, folded)
                if nears:  # a 同句/同段 term counts only where its whole group is satisfied
                    allowed = alone | _satisfied_near_terms(text, nears)
                    spans = [sp for sp in spans if texts[sp[2]] in allowed]
                if in_heading:  # a 章节:/heading: term counts only inside the heading
                    offs = stored.get("offsets") or {}
                    hlen = offs.get("body_start", 0) - offs.get("own_start", offs.get("start", 0))
                    spans = [sp for sp in spans if sp[2] not in in_heading or sp[1] <= hlen]
                if not spans:
                    continue
                score = _section_score(text, stored.get("heading") or "", spans, texts, idf, phrases, folded)
                sections.append((-score, sec, {
                    "heading": stored.get("heading") or "",
                    "path": list(stored.get("path") or []),
                    "kinds": list(stored.get("kinds") or []),
                    "matches": len(spans),
                    "snippets": snippets(text, spans),
                    "score": round(score, 4),
                    "index": sec,
                    "offsets": stored.get("offsets"),
                }))
            sections.sort(key=lambda x: x[:2])
            hits.append({
                "file": meta["file"], "title": head.get("title"), "agency": meta["agency"],
                "province": meta["province"], "city": meta["city"], "county": meta["county"],
                "level": meta["level"], "sector": meta["sector"], "year": meta["year"],
                "publish_date": head.get("publish_date"),
                "score": round(float(scores[r]), 4) if scores is not None else 0.0,
                "sections": [x[2] for x in sections],
            })
        return hits

    def _suggest(self, st: _State, tree, request: SearchRequest, filters, total: int) -> dict | None:
        if request.mode != "exact" or total > SUGGEST_BELOW or not ql.positive_terms(tree):
            return None
        words_tree = ql.to_words(tree)
        if words_tree == tree:
            return None
        n = int(np.count_nonzero(_restrict(st, st.evaluate(words_tree, _kind_mask(request.kind)), filters)))
        if n <= total:
            return None
        return {"mode": "words", "q": request.q, "total": n}

    # ---------------------------------------------------------------- the report page

    def report(self, report_id: str) -> dict | None:
        with self.reading() as st:
            r = st.by_id.get(report_id)
            if r is None:
                return None
            stored = [st.searcher.stored_fields(d) for d in st.report_docs[r]]
        head = stored[0]
        text = "".join(s.get("text") or "" for s in stored)
        out = {name: head.get(name) for name in ("title", "agency", "province", "city", "county", "level",
                                                  "sector", "year", "publish_date", "doc_date", "source_url")}
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
def _deadline(st: _State, seconds: float):
    st.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        st.deadline = math.inf


def _kind_mask(kinds) -> int:
    if not kinds:
        return ALL_KINDS
    mask = 0
    for k in kinds:
        if k in KINDS:
            mask |= 1 << KINDS.index(k)
    return mask


def _filter_sets(st: _State, request: SearchRequest) -> dict[str, np.ndarray]:
    """The reports passing each active filter (facet fields and year), as boolean arrays."""
    sets = {}
    for name in FACET_FIELDS:
        wanted = set(getattr(request, name))
        if wanted:
            codes = [i for i, v in enumerate(st.labels[name]) if v in wanted]
            sets[name] = np.isin(st.codes[name], codes)
    lo, hi = request.year_from, request.year_to
    if lo is not None or hi is not None:
        codes = [i for i, y in enumerate(st.labels["year"]) if (lo is None or y >= lo) and (hi is None or y <= hi)]
        sets["year"] = np.isin(st.codes["year"], codes)
    return sets


def _restrict(st: _State, reports: np.ndarray, filters: dict, skip: str | None = None) -> np.ndarray:
    """``reports`` (a boolean array) passing every filter but ``skip``'s."""
    out = reports
    for name, passing in filters.items():
        if name != skip:
            out = out & passing
    return out


def _facet_values(name: str, counts: Counter, request: SearchRequest, ordered: bool = False) -> list[dict]:
    """The facet's values as dicts: most reports first, then by value (years: newest first); selected
    values without reports are listed with count 0. ``ordered``: ``counts`` already comes in that order."""
    if name == "year":
        lo, hi = request.year_from, request.year_to
        wanted = {v for v in counts if (lo is not None or hi is not None) and (lo is None or v >= lo)
                  and (hi is None or v <= hi)}
    else:
        wanted = set(getattr(request, name))
    values = [{"value": v, "count": n, "selected": v in wanted} for v, n in counts.items()]
    if name != "year":
        missing = sorted((v for v in getattr(request, name) if v not in counts), key=str)
        values.extend({"value": v, "count": 0, "selected": True} for v in missing)
        if not ordered:
            values.sort(key=lambda x: (-x["count"], str(x["value"])))
    else:
        values.sort(key=lambda x: -x["value"])
    return values


def _satisfied_near_terms(text: str, nears) -> set[str]:
    """Terms of the 同句/同段 groups satisfied within this text."""
    from search.analysis import paragraph_spans, sentence_spans
    from search.snippets import term_pattern

    norm = normalize_text(text)
    out: set[str] = set()
    for near in nears:
        pats = [term_pattern(t) for t in near.terms]
        units = sentence_spans(norm) if near.unit == "sentence" else paragraph_spans(norm)
        if any(all(p.search(norm, a, b) for p in pats) for a, b in units):
            out.update(near.terms)
    return out


@lru_cache(maxsize=1024)
def _folded(term: str) -> str:
    return normalize_text(term)


def _section_score(text, heading, spans, terms, idf, phrases, folded=None) -> float:
    """BM25 of a section over the literal matches of the query's terms (saturating in their count,
    normalized by the section's length), plus a boost for terms in its heading and a bonus where a
    typed term of several words occurs as typed (words mode)."""
    counts = Counter(k for _, _, k in spans)
    norm = K1 * (1 - B + B * len(text) / AVG_SECTION_CHARS)
    heading = normalize_text(heading)
    score = 0.0
    for k, n in counts.items():
        score += idf[k] * n * (K1 + 1) / (n + norm)
        if _folded(terms[k]) in heading:
            score += HEADING_BOOST * idf[k]
    for phrase in phrases:
        if match_spans(text, [phrase], folded):
            score += ADJACENT_BOOST * max(idf, default=1.0)
    return score
