"""Verbatim copies (read side, over ``search.engine``): the passages a report shares with other reports.

A *passage* is a maximal run of at least ``min_chars`` content characters (``search.fingerprints.content``:
normalized, punctuation and whitespace not counted) that two reports' texts share. For one report:

1. its fingerprints (``search.fingerprints``) are looked up in every segment's fingerprint file (searchsorted
   over the sorted hashes): each hit is a candidate (other report, offset between the two texts);
2. candidate reports are ranked by their hits (about how many of the report's fingerprints they hold), and
   the first ``limit`` of them (``checked`` in the result; ``candidates`` says how many there were) are
   verified: at each offset both texts are compared character by character around the hits (``runs``) and
   every run of ``min_chars`` or more equal characters is a passage. Nothing is reported that the two texts
   do not share; a copy of ``MIN_CHARS`` or more is never missed among the reports checked (the winnowing
   guarantee);
3. with ``exclude_quotes``, characters inside 《》, 〈〉, quotation marks and 「」『』 never count as shared:
   the names of documents and quoted slogans every report repeats are left out.

For the collection (``pairs``): the reports passing the filters are joined with themselves on fingerprint
hashes; each pair's shared fingerprints estimate how much they share; the best pairs are verified as above.
A hash held by more than ``COMMON_REPORTS`` of those reports is passed over (boilerplate: it would pair
everything with everything) and counted in ``common_fingerprints``; so are the hashes of the largest groups
beyond ``PAIR_BUDGET`` pair counts in all (``common_above`` says from which group size on), which keeps a page
of a large, repetitive collection within a few seconds.

Offsets are into each report's stored text (what the report page shows), ``end`` exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from search.engine import Engine, QueryError, SearchRequest
from search.facets import active_filters, filter_sets, restrict
from search.fingerprints import MIN_CHARS, K, W, content, kgram_hashes, winnow

DEFAULT_LIMIT = 50  # other reports verified for one report
MAX_LIMIT = 500
MAX_CHARS = 100_000
SPAN = K + W + 2  # content characters compared on either side of a fingerprint (``runs``)
COMMON_REPORTS = 50  # a hash in more of the collection's reports than this is boilerplate for ``pairs``
PAIR_BUDGET = 3_000_000  # (pair, shared hash) counts a collection's self-join may make
PAIR_LIMIT = 50  # pairs listed for the collection (1.5 times as many are verified)
_QUOTED = re.compile(r"《[^《》\n]*》|〈[^〈〉\n]*〉|“[^“”\n]*”|‘[^‘’\n]*’|「[^「」\n]*」|『[^『』\n]*』|"
                     r"\"[^\"\n]*\"|＂[^＂\n]*＂")


@dataclass
class Options:
    min_chars: int = MIN_CHARS
    exclude_quotes: bool = False
    limit: int = DEFAULT_LIMIT

    def validate(self) -> None:
        if not isinstance(self.min_chars, int) or not MIN_CHARS <= self.min_chars <= MAX_CHARS:
            raise QueryError(f"min_chars must be between {MIN_CHARS} and {MAX_CHARS}, not {self.min_chars!r}")
        if not isinstance(self.limit, int) or not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit!r}")


@dataclass
class Side:
    """One report's text as compared: content code points (masked characters get a value never shared),
    their offsets in the text."""

    text: str
    codes: np.ndarray
    where: np.ndarray
    raw: np.ndarray  # the content code points unmasked (what the fingerprints hash)

    @classmethod
    def of(cls, text: str, exclude_quotes: bool, masked_value: int) -> "Side":
        raw, where = content(text)
        codes = raw.astype(np.int64)
        if exclude_quotes and len(codes):
            quoted = np.zeros(len(text) + 1, dtype=bool)
            for m in _QUOTED.finditer(text):
                quoted[m.start():m.end()] = True
            codes[quoted[where]] = masked_value
        return cls(text, codes, where, raw)

    def prints(self) -> tuple[np.ndarray, np.ndarray]:
        """(hashes, positions) of its fingerprints, computed once."""
        if not hasattr(self, "_prints"):
            hashes = kgram_hashes(self.raw)
            kept = winnow(hashes)
            self._prints = hashes[kept], kept
        return self._prints

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Content positions [start, end) → offsets in the text."""
        return int(self.where[start]), int(self.where[end - 1]) + 1


def runs(a: Side, b: Side, shifts: np.ndarray, near: np.ndarray, min_chars: int) -> list[tuple[int, int, int]]:
    """The runs (start, end, shift) where a's content [start, end) equals b's [start + shift, end + shift), at
    least ``min_chars`` long, that hold a position ``near[i]`` at shift ``shifts[i]`` (where a fingerprint of a
    is one of b's; sorted by shift, then position).

    Only the text around those positions is compared, every shift at once: inside a shared run every window
    of W hashes keeps the same position in both texts, so its fingerprints are at most W apart and the run
    reaches at most K + W past the outermost ones; the windows of ``SPAN`` around each position, merged, hold
    every such run whole."""
    lo, hi = np.maximum(0, -shifts), np.minimum(len(a.codes), len(b.codes) - shifts)
    starts, ends = np.maximum(near - SPAN, lo), np.minimum(near + SPAN, hi)
    new = np.ones(len(near), dtype=bool)
    new[1:] = (shifts[1:] != shifts[:-1]) | (starts[1:] > ends[:-1])  # a window not joining the one before
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(near)) - 1
    w_start, w_end, w_shift = starts[first], ends[last], shifts[first]
    size = np.maximum(w_end - w_start, 0)
    keep = size >= min_chars
    w_start, w_shift, size = w_start[keep], w_shift[keep], size[keep]
    if not len(size):
        return []
    at = np.repeat(w_start, size) + _ranges(size)
    eq = a.codes[at] == b.codes[at + np.repeat(w_shift, size)]
    bounds = np.cumsum(size)
    edge = np.zeros(len(eq) + 1, dtype=bool)  # where a run may start or end: a change, a window's edge
    edge[1:-1] = eq[1:] != eq[:-1]
    edge[bounds[:-1]] = True
    edge[0] = edge[-1] = True
    cuts = np.flatnonzero(edge)
    r_start, r_end = cuts[:-1], cuts[1:]
    long = eq[r_start] & (r_end - r_start >= min_chars)
    r_start, r_end = r_start[long], r_end[long]
    window = np.searchsorted(bounds, r_start, side="right")
    offset = at[r_start] - r_start  # a position in the concatenation → a position in a
    return list(zip((r_start + offset).tolist(), (r_end + offset).tolist(), w_shift[window].tolist()))


def _public(found: list[dict]) -> None:
    for p in found:
        del p["_content"], p["_shift"]


def covered(spans) -> int:
    """How many positions the [start, end) spans cover together."""
    total, reach = 0, -1
    for s, e in sorted(spans):
        if e > reach:
            total += e - max(s, reach)
            reach = e
    return total


def passages(a: Side, b: Side, shifts: np.ndarray, a_pos: np.ndarray, min_chars: int) -> list[dict]:
    """Every passage a and b share where a's fingerprint at ``a_pos[i]`` is b's at ``a_pos[i] + shifts[i]``,
    in a's order."""
    out = []
    order = np.lexsort((a_pos, shifts))
    if len(order):
        for s, e, shift in runs(a, b, shifts[order], a_pos[order], min_chars):
            start, end = a.span(s, e)
            other_start, other_end = b.span(s + shift, e + shift)
            out.append({"start": start, "end": end, "other_start": other_start, "other_end": other_end,
                        "text": a.text[start:end], "_content": (s, e), "_shift": shift})
    out.sort(key=lambda p: (p["start"], p["other_start"]))
    return out


# --------------------------------------------------------------------------------------------------
# One report against the collection


@dataclass
class Overlap:
    report: str
    chars: int
    shared_chars: int
    original_share: float
    sources: list[dict]
    min_chars: int
    exclude_quotes: bool
    candidates: int  # other reports holding at least one of its fingerprints
    checked: int  # of them, how many were compared (the best ``limit``)

    def to_dict(self) -> dict:
        return {"report": self.report, "chars": self.chars, "shared_chars": self.shared_chars,
                "original_share": self.original_share, "sources": self.sources, "min_chars": self.min_chars,
                "exclude_quotes": self.exclude_quotes, "candidates": self.candidates, "checked": self.checked}


def report_text(st, r: int) -> tuple[str, dict]:
    """A report's stored text (head first, then its sections) and its head's stored fields."""
    stored = st.texts.report(r)
    return "".join(s.get("text") or "" for s in stored), stored[0]


class Candidates:
    """Report r's fingerprints looked up in every segment: the other reports holding one, with how many hits
    each has (``ranking``: about how many of r's fingerprints it shares); ``hits`` expands the chosen ones."""

    def __init__(self, st, r: int, codes: np.ndarray):
        hashes = kgram_hashes(codes)
        self.kept = winnow(hashes)
        self.values, inverse = np.unique(hashes[self.kept], return_inverse=True)
        self.by_hash = np.argsort(inverse, kind="stable")  # r's positions grouped by hash
        self.counts = np.bincount(inverse, minlength=len(self.values))
        self.starts = np.cumsum(self.counts) - self.counts
        self.parts = []
        held = np.zeros(st.size, dtype=np.int64)
        for pf, base in st.print_files():
            which, docs, pos = pf.lookup(self.values)
            rep = st.columns.doc_report[docs.astype(np.int64) + base]
            ok = (rep >= 0) & (rep != r)
            which, rep, pos = which[ok], rep[ok], pos[ok]
            held += np.bincount(rep, weights=self.counts[which], minlength=st.size).astype(np.int64)
            self.parts.append((which, rep, pos))
        self.ranking = held

    def best(self, limit: int, files: list[str], only: set[int] | None = None) -> list[int]:
        """The ``limit`` reports with the most hits (ties: by file name), of ``only`` if given."""
        held = self.ranking
        if only is not None:
            held = np.where(np.isin(np.arange(len(held)), list(only)), held, 0)
        found = np.flatnonzero(held)
        if len(found) > limit:  # only those tied with the limit-th or better need sorting
            floor = np.partition(held[found], len(found) - limit)[len(found) - limit]
            found = found[held[found] >= floor]
        return sorted(found.tolist(), key=lambda o: (-held[o], files[o]))[:limit]

    def hits(self, chosen: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(report, shift, position in r) of every hit in the ``chosen`` reports, sorted by report."""
        reps, shifts, apos = [], [], []
        for which, rep, pos in self.parts:
            keep = np.isin(rep, chosen)
            which, rep, pos = which[keep], rep[keep], pos[keep].astype(np.int64)
            n = self.counts[which]  # r may hold a hash at several positions: one hit for each
            a_pos = self.kept[self.by_hash[np.repeat(self.starts[which], n) + _ranges(n)]]
            reps.append(np.repeat(rep, n))
            shifts.append(np.repeat(pos, n) - a_pos)
            apos.append(a_pos)
        if not reps:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        rep, shift, a_pos = np.concatenate(reps), np.concatenate(shifts), np.concatenate(apos)
        order = np.argsort(rep, kind="stable")
        return rep[order], shift[order], a_pos[order]


def _ranges(n: np.ndarray) -> np.ndarray:
    """0..n[0]-1, 0..n[1]-1, … concatenated."""
    total = int(n.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(n)
    return np.arange(total) - np.repeat(ends - n, n)


def source_entry(st, o: int, head: dict, found: list[dict], chars: int) -> dict:
    meta = st.columns.reports[o]
    shared = covered(p["_content"] for p in found)
    return {"file": meta["file"], "agency": meta.get("agency"), "year": meta.get("year"),
            "title": head.get("title"), "province": meta.get("province"), "city": meta.get("city"),
            "shared_chars": shared, "share": round(shared / chars, 4) if chars else 0.0,
            "passages": found}


def overlap(engine: Engine, report_id: str, options: Options | None = None,
            only: list[str] | None = None) -> Overlap | None:
    """The passages report ``report_id`` shares with others (only with the reports ``only`` names, if given);
    None when there is no such report."""
    options = options or Options()
    options.validate()
    with engine.reading() as st:
        r = st.columns.by_id.get(report_id)
        if r is None:
            return None
        text, _ = report_text(st, r)
        a = Side.of(text, options.exclude_quotes, -1)
        found = Candidates(st, r, a.raw)
        wanted = None if only is None else {st.columns.by_id[i] for i in only if i in st.columns.by_id}
        checked = found.best(options.limit, [m["file"] for m in st.columns.reports], wanted)
        candidates = int(np.count_nonzero(found.ranking)) if wanted is None else len(checked)
        rep, shift, a_pos = found.hits(checked)
        sources = []
        for o in checked:
            other, head = report_text(st, o)
            b = Side.of(other, options.exclude_quotes, -2)
            lo, hi = np.searchsorted(rep, o, side="left"), np.searchsorted(rep, o, side="right")
            found = passages(a, b, shift[lo:hi], a_pos[lo:hi], options.min_chars)
            if found:
                sources.append(source_entry(st, o, head, found, len(a.codes)))
    chars = len(a.codes)
    shared = covered(p["_content"] for s in sources for p in s["passages"])
    for s in sources:
        _public(s["passages"])
    sources.sort(key=lambda s: (-s["shared_chars"], s["file"]))
    return Overlap(report_id, chars, shared, round(1 - shared / chars, 4) if chars else 1.0, sources,
                   options.min_chars, options.exclude_quotes, candidates, len(checked))


# --------------------------------------------------------------------------------------------------
# The collection: the pairs of reports that share the most


@dataclass
class Pairs:
    filters: dict
    min_chars: int
    exclude_quotes: bool
    reports: int  # reports passing the filters
    candidates: int  # pairs sharing at least one fingerprint (common ones left out)
    common_fingerprints: int  # fingerprints passed over: held by more than ``common_above`` of the reports
    common_above: int  # COMMON_REPORTS, or less where the budget ran out
    pairs: list[dict] = field(default_factory=list)
    facets: dict = field(default_factory=dict)  # of the reports passing the filters, as /search counts them

    def to_dict(self) -> dict:
        return {"filters": self.filters, "min_chars": self.min_chars, "exclude_quotes": self.exclude_quotes,
                "reports": self.reports, "candidates": self.candidates,
                "common_fingerprints": self.common_fingerprints, "common_above": self.common_above,
                "pairs": self.pairs, "facets": self.facets}


def shared_fingerprints(st, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Pairs (report a < report b) of the ``chosen`` reports (a boolean array) and how many fingerprint hashes
    they share, best first; how many fingerprints were passed over as too common, and above which size."""
    hs, rs = [], []
    for pf, base in st.print_files():
        hashes, docs = pf.everything()
        rep = st.columns.doc_report[docs.astype(np.int64) + base]
        ok = rep >= 0
        ok[ok] = chosen[rep[ok]]
        hs.append(hashes[ok].astype(np.int64))
        rs.append(rep[ok])
    empty = np.zeros(0, np.int64)
    h, rep = (np.concatenate(hs), np.concatenate(rs)) if hs else (empty, empty)  # no segment: an empty index
    entries = _distinct((h << 20) | rep)  # one entry per (hash, report); report ordinals < 2**20
    h, rep = entries >> 20, entries & ((1 << 20) - 1)
    starts = np.flatnonzero(np.concatenate([[True], h[1:] != h[:-1]]))
    sizes = np.diff(np.append(starts, len(h)))
    above = _group_limit(sizes)
    common = int(np.count_nonzero(sizes > above))
    keys = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= above)]).tolist():
        groups = rep[starts[sizes == size][:, None] + np.arange(size)]  # one row per hash of this size
        i, j = np.triu_indices(size, 1)
        keys.append(groups[:, i].ravel() * st.size + groups[:, j].ravel())
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), common, above
    pair = np.sort(np.concatenate(keys))
    starts = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]]))
    pair, count = pair[starts], np.diff(np.append(starts, len(pair)))  # (np.unique hashes: slower here)
    best = np.lexsort((pair, -count))
    return pair[best] // st.size, pair[best] % st.size, count[best], common, above


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (a sort: numpy's hash-based unique is many times slower on millions)."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _group_limit(sizes: np.ndarray) -> int:
    """The largest group size (≤ COMMON_REPORTS) whose groups, with all smaller ones, make at most
    PAIR_BUDGET pair counts."""
    tally = np.bincount(sizes, minlength=COMMON_REPORTS + 1)[:COMMON_REPORTS + 1]
    work = np.cumsum(tally * np.arange(len(tally)) * (np.arange(len(tally)) - 1) // 2)
    within = np.flatnonzero(work <= PAIR_BUDGET)
    return int(within[-1]) if len(within) else 1


def pairs(engine: Engine, request: SearchRequest, options: Options | None = None,
          limit: int = PAIR_LIMIT) -> Pairs:
    """The pairs of reports passing ``request``'s filters (its query is ignored) that share the largest part
    of their text: candidates from shared fingerprints, the best 1.5 × ``limit`` verified, the best ``limit``
    listed by share (of the shorter report), then shared characters."""
    options = options or Options()
    options.validate()
    request.validate()
    request = engine.resolve(request)  # its filters as the index holds them (广东省 → 广东): filter_sets needs them
    facets = engine.search(replace(request, q="", mode="exact", page=1, limit=1, sections=False)).facets
    with engine.reading() as st:
        chosen = restrict(np.ones(st.size, dtype=bool), filter_sets(st, request))
        first, second, count, common, above = shared_fingerprints(st, chosen)
        found = []
        sides: dict[int, tuple[Side, dict]] = {}
        for a, b in zip(first[:limit + limit // 2].tolist(), second[:limit + limit // 2].tolist()):
            entry = _pair(st, a, b, options, sides)
            if entry:
                found.append(entry)
                if len(sides) > 4 * limit:  # bounded memory: texts are reread rather than all kept
                    sides.clear()
    found.sort(key=lambda p: (-p["share"], -p["shared_chars"], p["a"]["file"], p["b"]["file"]))
    return Pairs(active_filters(request), options.min_chars, options.exclude_quotes, int(np.count_nonzero(chosen)),
                 len(first), common, above, found[:limit], facets)


def _pair(st, a: int, b: int, options: Options, sides: dict) -> dict | None:
    """Reports a and b compared (their sides cached in ``sides``): the pair's entry, None if they share no
    passage."""
    for r in (a, b):
        if r not in sides:
            text, head = report_text(st, r)
            sides[r] = (Side.of(text, options.exclude_quotes, -1), Side.of(text, options.exclude_quotes, -2), head)
    side_a, _, head_a = sides[a]
    _, side_b, head_b = sides[b]
    found = passages(side_a, side_b, *_shifts(side_a, side_b), options.min_chars)
    if not found:
        return None
    shared_a = covered(p["_content"] for p in found)
    shared_b = covered((s + p["_shift"], e + p["_shift"]) for p in found for s, e in [p["_content"]])
    smaller = min(len(side_a.codes), len(side_b.codes))
    return {"a": _who(st, a, head_a, len(side_a.codes), shared_a), "b": _who(st, b, head_b, len(side_b.codes), shared_b),
            "shared_chars": shared_a, "share": round(min(1.0, shared_a / smaller), 4), "passages": len(found)}


def _shifts(a: Side, b: Side) -> tuple[np.ndarray, np.ndarray]:
    """(shift, position in a) of each fingerprint of a that is one of b's (b position − a position)."""
    (ha, ka), (hb, kb) = a.prints(), b.prints()
    order = np.argsort(hb, kind="stable")
    sorted_b, pos_b = hb[order], kb[order]
    lo = np.searchsorted(sorted_b, ha, side="left")
    hi = np.searchsorted(sorted_b, ha, side="right")
    n = hi - lo
    idx = np.repeat(lo, n) + _ranges(n)
    a_pos = np.repeat(ka, n)
    return pos_b[idx] - a_pos, a_pos


def _who(st, r: int, head: dict, chars: int, shared: int) -> dict:
    meta = st.columns.reports[r]
    return {"file": meta["file"], "agency": meta.get("agency"), "year": meta.get("year"), "title": head.get("title"),
            "province": meta.get("province"), "city": meta.get("city"), "chars": chars, "shared_chars": shared,
            "share": round(shared / chars, 4) if chars else 0.0}
