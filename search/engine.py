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
4. Only reports that are shown are ranked section by section and get snippets (``search.snippets``);
   ranking of reports is BM25F on jieba words (``words``, ``heading``, ``title``), top-N only.
"""

from __future__ import annotations

import threading
from array import array
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq
from whoosh.scoring import BM25F

from search import query as ql
from search.analysis import normalize, query_grams, query_words
from search.query import QueryError
from search.schema import ALL_KINDS, FACET_FIELDS, KINDS, NO_KIND, current_generation, open_index_path
from search.snippets import match_spans, snippets

__all__ = ["Engine", "SearchRequest", "SearchResult", "QueryError"]

MODES = ("exact", "words")
SORTS = ("relevance", "year")
MAX_LIMIT = 10000
SUGGEST_BELOW = 3  # exact results at or below this: offer the words mode
FACETS = FACET_FIELDS + ("year", "kind")
META = ("province", "city", "county", "agency", "level", "sector", "year")
LEAF_CACHE = 400_000  # cached (report, kinds) pairs over all cached terms: bounds memory, ~30 MB
REFRESH_SECONDS = 1.0


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


class _State:
    """One opened index generation: searcher, per-document columns, per-report metadata, term cache."""

    def __init__(self, index_dir):
        self.ix, self.path = open_index_path(index_dir)
        self.generation = current_generation(index_dir)
        self.version = self.ix.latest_generation()
        self.searcher = self.ix.searcher(weighting=BM25F(B=0.75, K1=1.2))
        self.reader = self.searcher.reader()
        self.lock = threading.RLock()
        self.leaves: OrderedDict = OrderedDict()
        self.leaf_size = 0
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
        for sub, base in self.reader.leaf_readers():
            cols = {name: list(sub.column_reader(name)) for name in ("report_id", "kmask", "sec_index") + META}
            live = set(sub.all_doc_ids())
            for i, rid in enumerate(cols["report_id"]):
                if i not in live:
                    continue
                d = base + i
                r = self.by_id.get(rid)
                if r is None:
                    r = self.by_id[rid] = len(self.reports)
                    meta = {"file": rid}
                    for name in META:
                        meta[name] = cols[name][i] or None
                    if not isinstance(meta["year"], int) or not 1000 <= meta["year"] <= 9999:
                        meta["year"] = None  # a missing number reads as the column's default
                    self.reports.append(meta)
                    self.report_docs.append([])
                    self.report_mask.append(0)
                self.doc_report[d] = r
                self.doc_mask[d] = cols["kmask"][i] or NO_KIND
                self.doc_sec[d] = cols["sec_index"][i]
                self.report_docs[r].append(d)
                self.report_mask[r] |= self.doc_mask[d]
        for docs in self.report_docs:
            docs.sort(key=lambda d: self.doc_sec[d])

    def close(self) -> None:
        with self.lock:
            self.searcher.close()

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
        else:
            fieldname = {"all": "exact", "title": "title_exact", "heading": "heading_exact"}[node.scope]
            result = self._exact(fieldname, node.text)
            if node.scope == "title":  # a report-level property: holds whatever kinds are selected
                result = {r: ALL_KINDS for r in result}
        self.leaves[key] = result
        self.leaf_size += len(result)
        while self.leaf_size > LEAF_CACHE and len(self.leaves) > 1:
            self.leaf_size -= len(self.leaves.popitem(last=False)[1])
        return result

    def _candidates(self, fieldname, grams) -> list[int] | None:
        """Docnums holding every gram (ascending), or None when one gram is absent."""
        sets = []
        for _, g in grams:
            if self.reader.doc_frequency(fieldname, g) == 0:
                return None
            sets.append(g)
        sets.sort(key=lambda g: self.reader.doc_frequency(fieldname, g))
        docs = set(self.reader.postings(fieldname, sets[0]).all_ids())
        for g in sets[1:]:
            docs.intersection_update(self.reader.postings(fieldname, g).all_ids())
            if not docs:
                return []
        return sorted(docs)

    def _exact(self, fieldname, text) -> dict[int, int]:
        grams = query_grams(text)
        found: dict[int, int] = {}
        doc_report, doc_mask = self.doc_report, self.doc_mask
        if len(grams) == 1:  # one gram: the posting list is the answer
            if not self.reader.doc_frequency(fieldname, grams[0][1]):
                return found
            for d in self.reader.postings(fieldname, grams[0][1]).all_ids():
                r = doc_report[d]
                if r >= 0:
                    found[r] = found.get(r, 0) | doc_mask[d]
            return found
        docs = self._candidates(fieldname, grams) if grams else None
        if not docs:
            return found
        matchers = [(rel, self.reader.postings(fieldname, g)) for rel, g in grams]
        for d in docs:
            r = doc_report[d]
            if r < 0 or found.get(r, 0) | doc_mask[d] == found.get(r, 0):
                continue  # this report is already known to match in sections of these kinds
            if _positions_agree(matchers, d):
                found[r] = found.get(r, 0) | doc_mask[d]
        return found

    def _near(self, node) -> dict[int, int]:
        from search.analysis import paragraph_spans, sentence_spans
        from search.snippets import term_pattern

        grams = [g for t in node.terms for g in query_grams(t)]
        docs = self._candidates("exact", grams) or []
        pats = [term_pattern(t) for t in node.terms]
        units = sentence_spans if node.unit == "sentence" else paragraph_spans
        found: dict[int, int] = {}
        for d in docs:
            r = self.doc_report[d]
            if r < 0 or found.get(r, 0) | self.doc_mask[d] == found.get(r, 0):
                continue
            norm = normalize(self.searcher.stored_fields(d).get("text") or "")[0]
            if any(all(p.search(norm, s, e) for p in pats) for s, e in units(norm)):
                found[r] = found.get(r, 0) | self.doc_mask[d]
        return found

    # ---------------------------------------------------------------- report-level evaluation

    def universe(self, kmask: int) -> set[int]:
        return {r for r, m in enumerate(self.report_mask) if m & kmask}

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


def _positions_agree(matchers, d) -> bool:
    """True when every gram occurs at its relative position from one common start in document d."""
    starts = None
    for rel, m in matchers:
        if m.id() < d:
            m.skip_to(d)
        poss = m.value_as("positions")
        s = {p - rel for p in poss}
        starts = s if starts is None else starts & s
        if not starts:
            return False
    return True


# --------------------------------------------------------------------------------------------------
# The engine


class Engine:
    """One per process: opens the index, reopens when CURRENT changes, answers searches thread-safely."""

    def __init__(self, index_dir):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._state = _State(self.index_dir)
        self._checked = 0.0

    # ---------------------------------------------------------------- generations

    def state(self) -> _State:
        import time

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
                        self._state = _State(self.index_dir)
                        st.close()
        return self._state

    def refresh(self) -> None:
        """Reopen now if the index changed (tests, admin)."""
        self._checked = 0.0
        self.state()

    # ---------------------------------------------------------------- search

    def search(self, request: SearchRequest) -> SearchResult:
        request.validate()
        parsed = ql.parse(request.q)
        tree = ql.to_words(parsed.tree) if request.mode == "words" else parsed.tree
        st = self.state()
        with st.lock:
            kmask = _kind_mask(request.kind)
            matched = st.evaluate(tree, kmask)
            listed = [r for r in matched if _passes(st.reports[r], request)]
            facets = self._facets(st, tree, matched, request)
            order, scores = self._order(st, tree, listed, request)
            start = (request.page - 1) * request.limit
            shown = order[start:start + request.limit]
            hits = self._hits(st, tree, shown, kmask, scores)
            suggestion = self._suggest(st, parsed.tree, request, len(listed))
        return SearchResult(request.q, request.mode, len(listed), request.page, request.limit, hits, facets,
                            suggestion, parsed.notices)

    def _facets(self, st: _State, tree, matched: set[int], request: SearchRequest) -> dict[str, list[dict]]:
        """Counts of reports per value; a facet's own selection is ignored when counting that facet."""
        names = FACET_FIELDS + ("year",)
        counts = {name: Counter() for name in names}
        for r in matched:
            meta = st.reports[r]
            fails = [name for name in names if not _passes_one(meta, request, name)]
            if not fails:
                for name in names:
                    counts[name][meta[name]] += 1
            elif len(fails) == 1:  # counted only in the facet that excludes it
                counts[fails[0]][meta[fails[0]]] += 1
        facets = {}
        for name in names:
            counts[name].pop(None, None)
            facets[name] = _facet_values(name, counts[name], request)
        counts = Counter()
        for i, kind in enumerate(KINDS):
            n = sum(1 for r in st.evaluate(tree, 1 << i) if _passes(st.reports[r], request))
            if n:
                counts[kind] = n
        facets["kind"] = _facet_values("kind", counts, request)
        return facets

    def _order(self, st: _State, tree, listed: list[int], request: SearchRequest):
        """Reports in page order, and the relevance score of those that were ranked."""
        def by_year(r):
            return (-(st.reports[r]["year"] or 0), st.reports[r]["file"])

        terms = ql.positive_terms(tree)
        if request.sort == "year" or not terms or not listed:
            return sorted(listed, key=by_year), {}
        need = request.page * request.limit
        listed_set = set(listed)
        kmask = _kind_mask(request.kind)
        docs = {d for r in listed for d in st.report_docs[r] if st.doc_mask[d] & kmask}
        rank_q = _rank_query(terms)
        limit = max(need * 4, 50)
        while True:
            results = st.searcher.search(rank_q, filter=docs, limit=limit)
            best: dict[int, float] = {}
            for hit in results:
                r = st.doc_report[hit.docnum]
                if r in listed_set and r not in best:
                    best[r] = hit.score
            exhausted = results.scored_length() < limit
            if len(best) >= need or exhausted or limit >= len(docs):
                break
            limit *= 4
        rest = sorted(listed_set - best.keys(), key=by_year)
        return sorted(best, key=lambda r: (-best[r], by_year(r))) + rest, best

    def _hits(self, st: _State, tree, shown: list[int], kmask: int, scores: dict) -> list[dict]:
        terms = [t for t in ql.positive_terms(tree) if t.scope != "title"]
        texts = [t.text for t in terms]
        section_docs = [d for r in shown for d in st.report_docs[r] if st.doc_mask[d] & kmask]
        doc_scores = {}
        if terms and section_docs:
            for hit in st.searcher.search(_rank_query(terms), filter=set(section_docs), limit=None):
                doc_scores[hit.docnum] = hit.score
        hits = []
        for r in shown:
            meta = st.reports[r]
            head = st.searcher.stored_fields(st.report_docs[r][0])
            sections = []
            for d in st.report_docs[r]:
                if not st.doc_mask[d] & kmask or not texts:
                    continue
                stored = st.searcher.stored_fields(d)
                text = stored.get("text") or ""
                spans = match_spans(text, texts)
                if not spans:
                    continue
                sections.append((-doc_scores.get(d, 0.0), -len(spans), st.doc_sec[d], {
                    "heading": stored.get("heading") or "",
                    "path": list(stored.get("path") or []),
                    "kinds": list(stored.get("kinds") or []),
                    "matches": len(spans),
                    "snippets": snippets(text, spans),
                    "score": round(doc_scores.get(d, 0.0), 4),
                    "index": st.doc_sec[d],
                    "offsets": stored.get("offsets"),
                }))
            sections.sort(key=lambda x: x[:3])
            hits.append({
                "file": meta["file"], "title": head.get("title"), "agency": meta["agency"],
                "province": meta["province"], "city": meta["city"], "county": meta["county"],
                "level": meta["level"], "sector": meta["sector"], "year": meta["year"],
                "publish_date": head.get("publish_date"), "score": round(scores.get(r, 0.0), 4),
                "sections": [s[3] for s in sections],
            })
        return hits

    def _suggest(self, st: _State, tree, request: SearchRequest, total: int) -> dict | None:
        if request.mode != "exact" or total > SUGGEST_BELOW or not ql.positive_terms(tree):
            return None
        words_tree = ql.to_words(tree)
        if words_tree == tree:
            return None
        n = sum(1 for r in st.evaluate(words_tree, _kind_mask(request.kind)) if _passes(st.reports[r], request))
        if n <= total:
            return None
        return {"mode": "words", "q": request.q, "total": n}

    # ---------------------------------------------------------------- the report page

    def report(self, report_id: str) -> dict | None:
        st = self.state()
        with st.lock:
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
            "index": s["sec_index"], "heading": s.get("heading") or "", "level": s.get("sec_level"),
            "path": list(s.get("path") or []), "kinds": list(s.get("kinds") or []),
            "start": s["offsets"]["start"], "end": s["offsets"]["end"], "body_start": s["offsets"]["body_start"],
            "parent": s["offsets"].get("parent"), "text": text[s["offsets"]["start"]:s["offsets"]["end"]],
        } for s in stored if s.get("sec_index", -1) >= 0]
        return out


# --------------------------------------------------------------------------------------------------
# helpers


def _kind_mask(kinds) -> int:
    if not kinds:
        return ALL_KINDS
    mask = 0
    for k in kinds:
        if k in KINDS:
            mask |= 1 << KINDS.index(k)
    return mask


def _passes_one(meta: dict, request: SearchRequest, name: str) -> bool:
    """Whether a report's metadata passes the request's filter on facet ``name``."""
    if name == "year":
        lo, hi, y = request.year_from, request.year_to, meta["year"]
        if lo is None and hi is None:
            return True
        return y is not None and (lo is None or y >= lo) and (hi is None or y <= hi)
    wanted = getattr(request, name)
    return not wanted or meta[name] in wanted


def _passes(meta: dict, request: SearchRequest) -> bool:
    return all(_passes_one(meta, request, name) for name in FACET_FIELDS + ("year",))


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


def _rank_query(terms) -> wq.Query:
    """BM25F over jieba words of the terms; heading and title matches and adjacency boosted."""
    clauses = []
    for t in terms:
        ws = query_words(t.text)
        for w in ws:
            clauses.append(wq.Term("words", w))
            clauses.append(wq.Term("heading", w, boost=2.0))
            clauses.append(wq.Term("title", w, boost=1.5))
        if len(ws) > 1:
            clauses.append(wq.Phrase("words", list(ws), boost=2.0))
            clauses.append(wq.Phrase("heading", list(ws), boost=2.0))
    return wq.Or(clauses) if clauses else wq.NullQuery
