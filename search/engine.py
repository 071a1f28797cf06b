"""Search engine (read side): a request → one result object (reports, their sections, facets, snippets).

How a page is made:
1. ``search.query`` parses the query into a tree of terms.
2. Each term is looked up in the exact field (``search.analysis`` grams): one gram = one posting list;
   longer terms intersect their grams' posting lists and check relative positions, so the answer is
   exactly "the normalized text contains the term". A term's answer is a map report → bit set of the
   section kinds it was found in; sections are skipped once their kinds are already covered for their
   report (matching is per report, so most of a frequent term's postings are never position-checked).
   Answers are cached per index generation.
3. The tree is evaluated with set algebra over reports (terms of one report may sit in different
   sections), for the selected kinds. Facet counts come from the same sets and from per-report metadata
   read once from columns, so they equal what the list holds.
4. Reports are ranked by BM25F on jieba words over report-level fields (``rwords``, ``rheadings``,
   ``title``: one posting per report, read block by block), plus a bonus where a typed term of several
   words occurs as typed. Only the reports shown get sections (ordered by a BM25 of their literal
   matches, boosted in headings) and snippets (``search.snippets``): no jieba on stored text.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from search import query as ql
from search.analysis import BREAK, SENTENCE_GRAMS, gram_width, normalize_text, query_grams, query_words
from search.query import QueryError
from search.schema import (ALL_KINDS, FACET_FIELDS, KINDS, NO_KIND, IndexFormatError, IndexMissingError,
                           current_generation, open_index_path)
from search.postings import PositionCursor, blocks, doc_ids, positions_at
from search.snippets import match_spans, snippets

__all__ = ["Engine", "SearchRequest", "SearchResult", "QueryError", "QueryTimeout"]

MODES = ("exact", "words")
SORTS = ("relevance", "year")
MAX_LIMIT = 10000
SUGGEST_BELOW = 3  # exact results at or below this: offer the words mode
FACETS = FACET_FIELDS + ("year", "kind")
META = ("province", "city", "county", "agency", "level", "sector", "year")
LEAF_CACHE = 400_000  # cached (report, kinds) pairs over all cached terms: bounds memory, ~30 MB
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
    """One opened index generation: searcher, per-document columns, per-report metadata, term cache."""

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
        self.leaf_size = 0
        self._universe: dict[int, frozenset] = {}
        self.words_cache: OrderedDict = OrderedDict()
        self._load_columns()

    def _load_columns(self) -> None:
        n = self.reader.doc_count_all()
        self.doc_report = array("i", [-1]) * n
        self.doc_mask = array("i", [0]) * n
        self.doc_sec = array("i", [0]) * n
        self.reports: list[dict] = []
        self.report_docs: list[list[int]] = []
        self.report_mask: list[int] = []
        self.by_id: dict[str, int] = {}
        self.slots: dict[int, array] = {}  # report → section start/body-start positions, pairs
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
                    self.report_mask.append(0)
                if cols["sec_index"][i] < 0:  # the head document holds the report's metadata
                    meta = self.reports[r]
                    for name in META:
                        meta[name] = cols[name][i] or None
                    if not isinstance(meta["year"], int) or not 1000 <= meta["year"] <= 9999:
                        meta["year"] = None  # a missing number reads as the column's default
                self.doc_report[d] = r
                self.doc_mask[d] = cols["kmask"][i] or NO_KIND
                self.doc_sec[d] = cols["sec_index"][i]
                self.report_docs[r].append(d)
                self.report_mask[r] |= self.doc_mask[d]
                if self.doc_sec[d] < 0:
                    self.slots[r] = array("i", cols["slots"][i] or b"")
        for docs in self.report_docs:
            docs.sort(key=lambda d: self.doc_sec[d])
        # per report: where sections start (exact-field positions), where their bodies start, their kinds
        self.sec_starts = [self.slots.get(r, array("i"))[0::2] for r in range(len(self.reports))]
        self.sec_bodies = [self.slots.get(r, array("i"))[1::2] for r in range(len(self.reports))]
        self.sec_masks = [[self.doc_mask[d] for d in docs if self.doc_sec[d] >= 0] for docs in self.report_docs]
        del self.slots
        self.values = {name: [meta[name] for meta in self.reports] for name in META}
        self.by_value: dict[str, dict] = {name: {} for name in META}
        for name in META:
            index = self.by_value[name]
            for r, v in enumerate(self.values[name]):
                index.setdefault(v, set()).add(r)
        # BM25 length normalization per head document and ranking field, computed once
        self.norms: dict[str, array] = {}
        heads = [docs[0] for docs in self.report_docs]
        for fieldname, _ in RANK_FIELDS:
            lengths = [self.reader.doc_field_length(d, fieldname, 0) or 0 for d in heads]
            avg = (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0
            norms = array("d", [K1]) * n
            for d, length in zip(heads, lengths):
                norms[d] = K1 * (1 - B + B * length / avg)
            self.norms[fieldname] = norms

    def idf(self, df: int) -> float:
        n = max(len(self.reports), 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def report_scores(self, terms, typed=()) -> dict[int, float]:
        """BM25F of each report over its whole text (``rwords``), headings and title (head documents:
        one posting per report, read block by block), plus a bonus where a typed term of several
        words occurs literally (its words adjacent as typed)."""
        acc: dict[int, float] = {}
        idfs = {}
        for w in dict.fromkeys(w for t in terms for w in query_words(t.text)):
            idfs[w], scores = self.word_scores(w)
            for r, score in scores.items():
                acc[r] = acc.get(r, 0.0) + score
        for t in typed:
            ws = query_words(t.text)
            if len(ws) > 1 and t.scope == "all":
                bonus = ADJACENT_BOOST * sum(idfs.get(w, 0.0) for w in ws)
                for r in self.leaf(t):
                    acc[r] = acc.get(r, 0.0) + bonus
        return acc

    def word_scores(self, w: str) -> tuple[float, dict[int, float]]:
        """(idf, report → BM25F of word ``w`` over the ranking fields), cached per generation."""
        hit = self.words_cache.get(w)
        if hit is not None:
            self.words_cache.move_to_end(w)
            return hit
        n = max(len(self.reports), 1)
        doc_report = self.doc_report
        acc: dict[int, float] = {}
        best_idf = 0.0
        for fieldname, boost in RANK_FIELDS:
            df = self.reader.doc_frequency(fieldname, w)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            best_idf = max(best_idf, idf)
            c = boost * idf * (K1 + 1)
            norms = self.norms[fieldname]
            for offset, leaf in blocks(self.reader, fieldname, w):
                if leaf._weights is None:
                    leaf._read_weights()
                for i, tf in zip(leaf._ids, leaf._weights):
                    d = offset + i
                    r = doc_report[d]
                    if r >= 0:
                        acc[r] = acc.get(r, 0.0) + c * tf / (tf + norms[d])
        self.words_cache[w] = (best_idf, acc)
        if len(self.words_cache) > WORDS_CACHE:
            self.words_cache.popitem(last=False)
        return best_idf, acc

    def sections_with(self, r: int, texts) -> set[int]:
        """Indexes of report r's sections (-1: title, agency or preamble) where a text may start:
        where its rarest gram sits in the head document. Only these sections' stored text is read."""
        head = self.report_docs[r][0]
        sec_starts = self.sec_starts[r]
        found: set[int] = set()
        for text in texts:
            grams = query_grams(text)
            if not grams:
                continue
            rel, g = min(grams, key=lambda x: self.reader.doc_frequency("exact", x[1]))
            found.update(bisect_right(sec_starts, p - rel) - 1 for p in positions_at(self.reader, "exact", g, head))
        return found

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.searcher.close()

    def _reports_of(self, docs):
        """(head docnum, report ordinal) of candidate documents, minding the search's deadline."""
        for k, d in enumerate(docs):
            if not k & 63:
                self.check_deadline()
            r = self.doc_report[d]
            if r >= 0:
                yield d, r

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise QueryTimeout("查询过于复杂，未能在时限内完成，已停止：请缩短检索词或减少检索词的数量")

    # ---------------------------------------------------------------- term lookup

    def leaf(self, node) -> dict[int, int]:
        """report ordinal → OR of the kind masks of the sections where ``node`` (Term/Near) matches."""
        key = ql.normalized_key(node)
        hit = self.leaves.get(key)
        if hit is not None:
            self.leaves.move_to_end(key)
            return hit
        if isinstance(node, ql.Near):
            result = self._near(node)
        elif node.scope == "title":  # a report-level property: holds whatever kinds are selected
            result = {r: ALL_KINDS for r in self._exact("title_exact", node.text)}
        else:
            result = self._exact("exact", node.text, heading=node.scope == "heading")
        self.leaves[key] = result
        self.leaf_size += len(result)
        while self.leaf_size > LEAF_CACHE and len(self.leaves) > 1:
            self.leaf_size -= len(self.leaves.popitem(last=False)[1])
        return result

    def _candidates(self, fieldname, grams) -> list[int] | None:
        """Head docnums holding every gram (ascending), or None when one gram is absent."""
        freq = {g: self.reader.doc_frequency(fieldname, g) for _, g in grams}
        if not freq or not all(freq.values()):
            return None
        order = sorted(freq, key=freq.get)
        docs = set(doc_ids(self.reader, fieldname, order[0]))
        for g in order[1:]:
            docs.intersection_update(doc_ids(self.reader, fieldname, g))
            if not docs:
                return []
        return sorted(docs)

    def _cursors(self, fieldname, grams):
        grams = sorted(grams, key=lambda x: self.reader.doc_frequency(fieldname, x[1]))  # rarest first
        return [(rel, PositionCursor(self.reader, fieldname, g)) for rel, g in grams]

    def _exact(self, fieldname, text, heading=False) -> dict[int, int]:
        """report → kinds of the sections where ``text`` starts (in a heading, if ``heading``)."""
        grams = query_grams(text)
        docs = self._candidates(fieldname, grams)
        if not docs:
            return {}
        width = max(rel + gram_width(g) for rel, g in grams)
        cursors = self._cursors(fieldname, grams)
        found: dict[int, int] = {}
        rel0, first = cursors[0]
        for d, r in self._reports_of(docs):
            others = [(rel - rel0, c.positions(d)) for rel, c in cursors[1:]]
            starts = [p - rel0 for p in first.positions(d)]  # candidate starts from the rarest gram
            mask = self._kinds_at(r, starts, width, heading, _aligner(others, rel0) if others else None)
            if mask:
                found[r] = mask
        return found

    def _kinds_at(self, r: int, starts: list[int], width: int, heading: bool = False, verify=None) -> int:
        """OR of the kinds of the sections holding these match starts (ascending; each checked with
        ``verify`` if given); NO_KIND before the first section. Jumps to the next section once one
        start is confirmed in a section, so a term found 500 times costs a few checks."""
        sec_starts, masks, full = self.sec_starts[r], self.sec_masks[r], self.report_mask[r]
        bodies = self.sec_bodies[r]
        mask = 0
        j, n, last = 0, len(starts), len(sec_starts) - 1
        while j < n:
            s = starts[j]
            if verify is not None and not verify(s):
                j += 1
                continue
            i = bisect_right(sec_starts, s) - 1
            if not heading:
                mask |= masks[i] if i >= 0 else NO_KIND
            elif i >= 0 and s + width <= bodies[i]:
                mask |= masks[i]
            elif i >= 0 and s < bodies[i]:  # in the heading but running past it: try the next start
                j += 1
                continue
            if mask == full:
                break
            j = bisect_left(starts, sec_starts[i + 1], j + 1) if i < last else n  # next section
        return mask

    def _near(self, node) -> dict[int, int]:
        """同句/同段: every term starts in one sentence/paragraph (units end at their break grams)."""
        terms = [(query_grams(t), t) for t in node.terms]
        docs = self._candidates("exact", [g for grams, _ in terms for g in grams])
        if not docs:
            return {}
        term_cursors = [(max(rel + gram_width(g) for rel, g in grams), self._cursors("exact", grams))
                        for grams, _ in terms]
        breaks = [PositionCursor(self.reader, "exact", g)
                  for g in (SENTENCE_GRAMS if node.unit == "sentence" else (BREAK,))]
        found: dict[int, int] = {}
        for d, r in self._reports_of(docs):
            bounds = sorted(p for c in breaks for p in c.positions(d))
            common = None
            first = {}
            for width, cursors in term_cursors:
                units = {}
                for s in _aligned_starts(cursors, d):
                    u = bisect_right(bounds, s)
                    if bisect_right(bounds, s + width - 1) == u:  # no break inside the match
                        units.setdefault(u, s)
                if not first:
                    first = units
                common = set(units) if common is None else common & set(units)
                if not common:
                    break
            if common:
                found[r] = self._kinds_at(r, sorted(first[u] for u in common), 1)
        return found

    # ---------------------------------------------------------------- report-level evaluation

    def universe(self, kmask: int) -> set[int]:
        """Reports with at least one document of the given kinds (cached; callers must not mutate)."""
        hit = self._universe.get(kmask)
        if hit is None:
            hit = self._universe[kmask] = frozenset(r for r, m in enumerate(self.report_mask) if m & kmask)
        return hit

    def evaluate(self, node, kmask: int) -> set[int]:
        """Reports matching ``node`` when only sections of kinds in ``kmask`` count."""
        if node is None:
            return self.universe(kmask)
        if isinstance(node, (ql.Term, ql.Near)):
            return {r for r, m in self.leaf(node).items() if m & kmask}
        if isinstance(node, ql.Not):
            return self.universe(kmask) - self.evaluate(node.child, kmask)
        if isinstance(node, ql.Or):
            out: set[int] = set()
            for c in node.children:
                out |= self.evaluate(c, kmask)
            return out
        positives = [c for c in node.children if not isinstance(c, ql.Not)]
        negatives = [c.child for c in node.children if isinstance(c, ql.Not)]
        # evaluate the rarest-looking positive first: later ones only narrow it
        out = None
        for c in positives:
            s = self.evaluate(c, kmask)
            out = s if out is None else out & s
            if not out:
                return set()
        if out is None:
            out = self.universe(kmask)
        for c in negatives:
            out = out - self.evaluate(c, kmask)
        return out


def _aligner(others, rel0):
    """verify(start): every other gram at its place, ``others`` = [(offset from the first gram, positions)]."""
    def verify(start):
        p0 = start + rel0
        for delta, poss in others:
            j = bisect_left(poss, p0 + delta)
            if j == len(poss) or poss[j] != p0 + delta:
                return False
        return True
    return verify


def _aligned_starts(cursors, d: int) -> list[int]:
    """Ascending positions in document d where every gram sits at its relative position."""
    rel0, first = cursors[0]
    starts = [p - rel0 for p in first.positions(d)]
    for rel, cursor in cursors[1:]:
        poss = cursor.positions(d)
        n = len(poss)
        kept = []
        for start in starts:
            j = bisect_left(poss, start + rel)
            if j < n and poss[j] == start + rel:
                kept.append(start)
        if not kept:
            return kept
        starts = kept
    return starts


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
            listed = _restrict(matched, filters)
            facets = self._facets(st, tree, matched, filters, request)
            typed = ql.positive_terms(parsed.tree)
            order, scores = self._order(st, tree, listed, request, typed)
            start = (request.page - 1) * request.limit
            shown = order[start:start + request.limit]
            hits = self._hits(st, tree, shown, kmask, scores, typed, request.sections)
            suggestion = self._suggest(st, parsed.tree, request, filters, len(listed))
        return SearchResult(request.q, request.mode, len(listed), request.page, request.limit, hits, facets,
                            suggestion, parsed.notices)

    def _facets(self, st: _State, tree, matched, filters, request: SearchRequest) -> dict[str, list[dict]]:
        """Counts of reports per value; a facet's own selection is ignored when counting that facet."""
        facets = {}
        for name in FACET_FIELDS + ("year",):
            pool = _restrict(matched, filters, skip=name)
            counts = Counter(map(st.values[name].__getitem__, pool))
            counts.pop(None, None)
            facets[name] = _facet_values(name, counts, request)
        counts = Counter()
        for i, kind in enumerate(KINDS):
            n = len(_restrict(st.evaluate(tree, 1 << i), filters))
            if n:
                counts[kind] = n
        facets["kind"] = _facet_values("kind", counts, request)
        return facets

    def _order(self, st: _State, tree, listed: list[int], request: SearchRequest, typed):
        """Reports in page order, and their relevance scores (see ``_State.report_scores``)."""
        def by_year(r):
            return (-(st.reports[r]["year"] or 0), st.reports[r]["file"])

        terms = ql.positive_terms(tree)
        if request.sort == "year" or not terms or not listed:
            return sorted(listed, key=by_year), {}
        scores = st.report_scores(terms, typed)
        return sorted(listed, key=lambda r: (-scores.get(r, 0.0), by_year(r))), scores

    def _hits(self, st: _State, tree, shown: list[int], kmask: int, scores: dict, typed,
              with_sections: bool = True) -> list[dict]:
        terms = [t for t in ql.positive_terms(tree) if t.scope != "title"]
        texts = [t.text for t in terms]
        idf = [st.idf(len(st.leaf(t))) for t in terms]
        phrases = [t.text for t in typed if t.scope != "title" and len(query_words(t.text)) > 1]
        leaves = ql.positive_leaves(tree)
        nears = [x for x in leaves if isinstance(x, ql.Near)]
        alone = {t.text for t in leaves if isinstance(t, ql.Term)}
        in_heading = {i for i, t in enumerate(terms) if t.scope == "heading"}
        hits = []
        for r in shown:
            meta = st.reports[r]
            head = st.searcher.stored_fields(st.report_docs[r][0])
            sections = []
            candidates = st.sections_with(r, texts) if with_sections and texts else set()
            for d in st.report_docs[r]:
                if st.doc_sec[d] not in candidates or not st.doc_mask[d] & kmask:
                    continue
                stored = st.searcher.stored_fields(d)
                text = stored.get("text") or ""
                spans = match_spans(text, texts)
                if nears:  # a 同句/同段 term counts only where its whole group is satisfied
                    allowed = alone | _satisfied_near_terms(text, nears)
                    spans = [sp for sp in spans if texts[sp[2]] in allowed]
                if in_heading:  # a 章节:/heading: term counts only inside the heading
                    offs = stored.get("offsets") or {}
                    hlen = offs.get("body_start", 0) - offs.get("own_start", offs.get("start", 0))
                    spans = [sp for sp in spans if sp[2] not in in_heading or sp[1] <= hlen]
                if not spans:
                    continue
                score = _section_score(text, stored.get("heading") or "", spans, texts, idf, phrases)
                sections.append((-score, st.doc_sec[d], {
                    "heading": stored.get("heading") or "",
                    "path": list(stored.get("path") or []),
                    "kinds": list(stored.get("kinds") or []),
                    "matches": len(spans),
                    "snippets": snippets(text, spans),
                    "score": round(score, 4),
                    "index": st.doc_sec[d],
                    "offsets": stored.get("offsets"),
                }))
            sections.sort(key=lambda x: x[:2])
            hits.append({
                "file": meta["file"], "title": head.get("title"), "agency": meta["agency"],
                "province": meta["province"], "city": meta["city"], "county": meta["county"],
                "level": meta["level"], "sector": meta["sector"], "year": meta["year"],
                "publish_date": head.get("publish_date"), "score": round(scores.get(r, 0.0), 4),
                "sections": [x[2] for x in sections],
            })
        return hits

    def _suggest(self, st: _State, tree, request: SearchRequest, filters, total: int) -> dict | None:
        if request.mode != "exact" or total > SUGGEST_BELOW or not ql.positive_terms(tree):
            return None
        words_tree = ql.to_words(tree)
        if words_tree == tree:
            return None
        n = len(_restrict(st.evaluate(words_tree, _kind_mask(request.kind)), filters))
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


def _filter_sets(st: _State, request: SearchRequest) -> dict[str, set[int]]:
    """The reports passing each active filter (facet fields and year), from the value index."""
    sets = {}
    for name in FACET_FIELDS:
        wanted = getattr(request, name)
        if wanted:
            sets[name] = set().union(*(st.by_value[name].get(v, ()) for v in wanted))
    lo, hi = request.year_from, request.year_to
    if lo is not None or hi is not None:
        years = [y for y in st.by_value["year"] if y is not None and (lo is None or y >= lo)
                 and (hi is None or y <= hi)]
        sets["year"] = set().union(*(st.by_value["year"][y] for y in years))
    return sets


def _restrict(reports, filters: dict, skip: str | None = None) -> set[int]:
    """``reports`` passing every filter but ``skip``'s."""
    out = reports
    for name, passing in filters.items():
        if name != skip:
            out = out & passing
    return out if isinstance(out, set) else set(out)


def _facet_values(name: str, counts: Counter, request: SearchRequest) -> list[dict]:
    if name == "year":
        def selected(v):
            lo, hi = request.year_from, request.year_to
            return (lo is not None or hi is not None) and (lo is None or v >= lo) and (hi is None or v <= hi)
    else:
        wanted = set(getattr(request, name))

        def selected(v):
            return v in wanted
    values = [{"value": v, "count": n, "selected": selected(v)} for v, n in counts.items()]
    if name != "year":
        for v in getattr(request, name):
            if v not in counts:
                values.append({"value": v, "count": 0, "selected": True})
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


def _section_score(text, heading, spans, terms, idf, phrases) -> float:
    """BM25 of a section over the literal matches of the query's terms (saturating in their count,
    normalized by the section's length), plus a boost for terms in its heading and a bonus where a
    typed term of several words occurs as typed (words mode)."""
    counts = Counter(k for _, _, k in spans)
    norm = K1 * (1 - B + B * len(text) / AVG_SECTION_CHARS)
    heading = normalize_text(heading)
    score = 0.0
    for k, n in counts.items():
        score += idf[k] * n * (K1 + 1) / (n + norm)
        if normalize_text(terms[k]) in heading:
            score += HEADING_BOOST * idf[k]
    for phrase in phrases:
        if match_spans(text, [phrase]):
            score += ADJACENT_BOOST * max(idf, default=1.0)
    return score
