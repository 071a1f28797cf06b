"""Matching (read side, after the query plan): which reports a query tree matches, as arrays over reports.

A term's answer (``leaf``) is, per report, the bit set of the section kinds it was found in (0: not found).
A one-gram term is one key's postings in the gram files (``search.grams``), which also say in which kinds
it occurs; a longer term intersects its grams' reports, then keeps the addresses (report and position) where
every gram sits at its offset (``aligned``), all as numpy arrays over the whole index at once, so the answer
is exactly "the normalized text contains the term". The section of each match address is one searchsorted
over every section's start (``located``: made once for matching and ranking, the latest kept, ``LOCATED_CACHE``
bytes; ``kinds_at``). Answers are cached per generation (``LEAF_CACHE`` bytes).
``evaluate`` combines them with boolean arrays over reports (terms of one report may sit in different
sections), for the selected kinds.
"""

from __future__ import annotations

import numpy as np

from search import query as ql
from search.analysis import BREAK, SENTENCE_GRAMS, gram_width, query_grams
from search.grams import SHIFT, gram_key, member, place, run_starts
from search.schema import ALL_KINDS, NO_KIND

LEAF_CACHE = 32_000_000  # bytes of cached term answers (one byte per report each)
LOCATED_CACHE = 8_000_000  # bytes of the latest terms' located matches (12 a match), for ranking to reuse


def leaf(st, node) -> np.ndarray:
    """Per report: OR of the kind masks of the sections where ``node`` (Term/Near) matches (0: none).
    Cached per generation; callers must not modify it."""
    key = ql.normalized_key(node)
    hit = st.leaves.get(key)
    if hit is not None:
        st.leaves.move_to_end(key)
        return hit
    if isinstance(node, ql.Near):
        result = near(st, node)
    elif node.scope == "title":  # a report-level property: holds whatever kinds are selected
        result = exact(st, node.text, title=True)
    else:
        result = exact(st, node.text, heading=node.scope == "heading")
    result.flags.writeable = False
    st.leaves[key] = result
    while len(st.leaves) * max(st.size, 1) > LEAF_CACHE and len(st.leaves) > 1:
        st.leaves.popitem(last=False)
    return result


def aligned(st, grams, title: bool = False, within: np.ndarray | None = None):
    """(sorted addresses where every gram of a term sits at its relative position, docs holding all
    grams); ``within``: only these head docnums (sorted)."""
    plist = sorted(((rel, st.postings(gram_key(g, title))) for rel, g in grams), key=lambda x: len(x[1].docs))
    cand = plist[0][1].docs if within is None else within
    for _, p in plist[(0 if within is not None else 1):]:
        cand = cand[member(cand, p.docs)]
        if not len(cand):
            return np.zeros(0, dtype=np.int64), cand
    cand = cand[st.columns.doc_report[cand] >= 0]
    rel0, p0 = plist[0]
    starts = p0.addresses(cand) - rel0
    for rel, p in plist[1:]:
        if not len(starts):
            break
        st.check_deadline()
        starts = starts[member(starts + rel, p.addresses(cand))]
    return starts, cand


def term_starts(st, text: str) -> tuple[np.ndarray, int]:
    """(sorted addresses where ``text`` starts in a live report's exact text, its width in positions)."""
    grams = query_grams(text)
    if not grams:
        return np.zeros(0, dtype=np.int64), 0
    width = max(rel + gram_width(g) for rel, g in grams)
    if len(grams) == 1:
        starts = st.postings(gram_key(grams[0][1])).addresses()
        return (starts if st.all_live else starts[st.columns.doc_report[starts >> SHIFT] >= 0]), width
    return aligned(st, grams)[0], width


def located(st, text: str) -> tuple[np.ndarray, np.ndarray, int]:
    """(``term_starts``' addresses, the row of ``st.columns.sections`` holding each (int32), the term's width):
    matching (``kinds_at``) and then ranking (``search.ranking.term_matches``) need both, so the latest few are
    kept per generation instead of aligning the grams and placing the matches twice. Callers must not modify
    them."""
    hit = st.located.get(text)
    if hit is not None:
        return hit
    starts, width = term_starts(st, text)
    entry = place(st.columns.sections.addr, starts).astype(np.int32)
    for a in (starts, entry):
        a.flags.writeable = False
    out = (starts, entry, width)
    st.located.put(text, out)
    return out


def located_bytes(item: tuple) -> int:
    """What one kept ``located`` answer holds (``st.located``: a ``search.resultcache.ResultCache``)."""
    return item[0].nbytes + item[1].nbytes


def exact(st, text: str, title: bool = False, heading: bool = False) -> np.ndarray:
    """Per report: kinds of the sections where ``text`` starts (in a heading, if ``heading``)."""
    grams = query_grams(text)
    out = st.none()
    if not grams:
        return out
    doc_report = st.columns.doc_report
    if len(grams) == 1 and not heading:  # one gram: its postings say where, and in which kinds
        p = st.postings(gram_key(grams[0][1], title))
        r = doc_report[p.docs]
        live = r >= 0
        out[r[live]] = ALL_KINDS if title else p.masks[live]
        return out
    if title:
        starts, _ = aligned(st, grams, title)
        out[doc_report[starts >> SHIFT]] = ALL_KINDS
        return out
    starts, entry, width = located(st, text)
    return kinds_at(st, starts, width, heading, entry)


def kinds_at(st, starts: np.ndarray, width: int = 1, heading: bool = False, entry=None) -> np.ndarray:
    """Per report: OR of the kinds of the sections holding these match addresses (NO_KIND before a
    report's first section); with ``heading``, only matches inside a heading count. ``entry``: each
    address's row in ``st.columns.sections`` where the caller has it."""
    out = st.none()
    if not len(starts):
        return out
    sec = st.columns.sections
    docs = starts >> SHIFT
    i = np.searchsorted(sec.addr, starts, side="right") - 1 if entry is None else entry  # ≥ 0: the sentinel first
    inside = sec.doc[i] == docs
    masks = np.where(inside, sec.mask[i], NO_KIND).astype(np.uint8)
    if heading:
        keep = inside & (starts + width <= sec.body[i])
        docs, masks = docs[keep], masks[keep]
    if not len(docs):
        return out
    # the addresses ascend, so each report's matches are one run: OR its masks at once
    at = np.flatnonzero(run_starts(docs))
    out[st.columns.doc_report[docs[at]]] = np.bitwise_or.reduceat(masks, at)
    return out


def near(st, node) -> np.ndarray:
    """同句/同段: every term starts in one sentence/paragraph (units end at their break grams)."""
    terms = [query_grams(t) for t in node.terms]
    if not all(terms):
        return st.none()
    cand = None
    for grams in terms:
        for _, g in grams:
            docs = st.postings(gram_key(g)).docs
            cand = docs if cand is None else cand[member(cand, docs)]
    cand = cand[st.columns.doc_report[cand] >= 0]
    if not len(cand):
        return st.none()
    breaks = [st.postings(gram_key(g)).addresses(cand) for g in
              (SENTENCE_GRAMS if node.unit == "sentence" else (BREAK,))]
    bounds = np.sort(np.concatenate(breaks + [cand << SHIFT]))  # a report's start bounds its first unit
    common = None
    first = None
    for grams in terms:
        width = max(rel + gram_width(g) for rel, g in grams)
        starts, _ = aligned(st, grams, within=cand)
        units = np.searchsorted(bounds, starts, side="right")
        whole = np.searchsorted(bounds, starts + width - 1, side="right") == units  # no break inside
        starts, units = starts[whole], units[whole]
        if first is None:
            first = (starts, units)
        common = np.unique(units) if common is None else np.intersect1d(common, units)
        if not len(common):
            return st.none()
    starts, units = first
    return kinds_at(st, starts[member(units, common)], 1)


def universe(st, kmask: int) -> np.ndarray:
    """Reports with at least one document of the given kinds (cached; callers must not mutate)."""
    hit = st.universes.get(kmask)
    if hit is None:
        hit = st.universes[kmask] = (st.columns.report_mask & kmask) != 0
        hit.flags.writeable = False
    return hit


def evaluate(st, node, kmask: int) -> np.ndarray:
    """Reports (a boolean array) matching ``node`` when only sections of kinds in ``kmask`` count."""
    if node is None:
        return universe(st, kmask)
    if isinstance(node, (ql.Term, ql.Near)):
        return (leaf(st, node) & kmask) != 0
    if isinstance(node, ql.Not):
        return universe(st, kmask) & ~evaluate(st, node.child, kmask)
    if isinstance(node, ql.Or):
        out = np.zeros(st.size, dtype=bool)
        for c in node.children:
            out |= evaluate(st, c, kmask)
        return out
    positives = [c for c in node.children if not isinstance(c, ql.Not)]
    negatives = [c.child for c in node.children if isinstance(c, ql.Not)]
    out = None
    for c in positives:
        s = evaluate(st, c, kmask)
        out = s.copy() if out is None else out & s
        if not out.any():
            return out
    if out is None:
        out = universe(st, kmask).copy()
    for c in negatives:
        out &= ~evaluate(st, c, kmask)
    return out
