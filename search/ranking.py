"""Ranking (read side, after matching): sections scored from the index, reports ranked by their best sections.

Every section of every listed report that holds a match is scored from the gram positions alone (no stored
text is read, no jieba runs): each term's match addresses (``search.matching.located``) fall into the
section table (``search.columns``: starts, heading ends, lengths, the opening as an entry of its own) and the
weak spans (``search.weakspans``) with one searchsorted each. A section's score (``SectionScores``) is

- BM25 over sections: per term, idf over all sections of the generation (``N`` sections, ``df`` holding the
  term) × saturated, length-normalized weighted count; a match counts ``WEAK_WEIGHTS[kind]`` inside a weak
  span (a cited 《…》 title, a list of short items, a purpose clause, a slogan, the overview paragraph of a
  section with sub-sections) and 1 elsewhere;
- plus ``HEADING_BOOST`` × idf per term in its heading (less for a long heading: a one-sentence item the
  parser made a heading; more over a substantive body, ``SUBSTANCE``);
- plus a proximity credit where matches of different terms sit close together (``PROXIMITY``);
- times ``OPENING`` for a report's opening (title, agency, preamble: slogans and summaries), times
  ``KIND_WEIGHTS`` for a part of the report where topics are mostly named (the leader's part);
- times ``PARTIAL`` when it holds only some of the query's positive terms (for the report's score).

A report's score is its best section's plus a damped sum of the next ones (``DAMPING`` ** rank). Within a
report (``search.hits``), the sections that answer the query by themselves (``satisfies``) are listed by
score; only where none does are the sections holding some of its terms listed; past the first, only those
scoring ``SHOWN_SHARE`` of the result's best section. Statistics come from the whole
open generation (never per segment), so an incremental build ranks as a fresh one. Sorted by year, or
without terms: newest year first, then file name (``order``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from search import query as ql
from search.grams import SHIFT, place, run_starts
from search.matching import located
from search.schema import KINDS
from search.weakspans import INTRO, LIST, PURPOSE, SLOGAN, TITLE

K1, B = 1.2, 0.3
HEADING_BOOST = 2.0
LONG_HEADING = 30  # positions: a heading longer than this is a sentence the parser made a heading
SUBSTANCE, SUBSTANCE_LENGTH = 0.8, 600  # a heading naming the topic counts fully over a body this long
WEAK_WEIGHTS = {0: 1.0, TITLE: 0.15, LIST: 0.2, PURPOSE: 0.3, SLOGAN: 0.2, INTRO: 0.25}
OPENING = 0.3
# A section of the leader's part (第一责任人) lists what the leader chaired and deployed: a topic named there
# is mostly a bare statement (亲自部署……), unless the heading names it.
KIND_WEIGHTS = {"第一责任人": 0.6}
PARTIAL = 0.4
PROXIMITY = 1.0  # × the mean idf, for two terms' matches side by side; halves every PROXIMITY_SCALE positions
PROXIMITY_SCALE = 10.0
ADJACENT_BOOST = 1.0  # words mode: × the mean idf where a typed term of several words occurs as typed
DAMPING = 0.15
SHOWN_SHARE = 0.3  # past its best, a hit lists the sections scoring this share of the best of all (search.hits)
STATS_CACHE = 16_000_000  # bytes of terms' match statistics cached per generation (the 300 MB a process)

_WEIGHTS = np.array([WEAK_WEIGHTS.get(k, 1.0) for k in range(max(WEAK_WEIGHTS) + 1)])


def idf(n: int, df: int) -> float:
    """BM25's idf of a term found in ``df`` of ``n`` units."""
    n = max(n, 1)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class TermMatches:
    """One term's matches over the whole generation, each with its section entry and what counts for it;
    held compactly (18 bytes a match) so that a frequent term's statistics stay in the cache."""

    starts: np.ndarray  # addresses, sorted (int64)
    entry: np.ndarray  # index into the section table (int32)
    report: np.ndarray  # report ordinal (int32)
    code: np.ndarray  # uint8: the weak span's kind (its weight ``WEAK_WEIGHTS``), 0 in the heading or outside one
    in_heading: np.ndarray  # bool: the whole match lies in its section's heading
    idf: float  # over the sections of the generation

    @property
    def weight(self) -> np.ndarray:
        """Per match: 1, or the weak span's weight."""
        return _WEIGHTS[self.code]


def term_matches(st, text: str) -> TermMatches:
    """``text``'s matches with their sections and weights (cached per generation)."""
    hit = st.term_stats.get(text)
    if hit is not None:
        st.term_stats.move_to_end(text)
        return hit
    cols = st.columns
    sec, weak = cols.sections, cols.weak_spans
    starts, entry, width = located(st, text)
    in_heading = starts + width <= sec.body[entry]
    j = place(weak.start, starts)
    inside = (j >= 0) & (starts < weak.end[np.maximum(j, 0)]) if len(weak.start) else np.zeros(len(starts), bool)
    kinds = np.where(inside, weak.kind[np.maximum(j, 0)] if len(weak.start) else 0, 0)
    code = np.where(in_heading, 0, kinds).astype(np.uint8)
    df = int(np.count_nonzero(np.diff(entry))) + 1 if len(entry) else 0  # entries ascend with the addresses
    out = TermMatches(starts, entry, cols.doc_report[starts >> SHIFT].astype(np.int32), code,
                      in_heading, idf(len(sec.addr) - 1, df))
    st.term_stats[text] = out
    st.term_stats_bytes += _nbytes(out)  # a running total: summing the whole cache per insert was quadratic
    while len(st.term_stats) > 1 and st.term_stats_bytes > STATS_CACHE:
        st.term_stats_bytes -= _nbytes(st.term_stats.popitem(last=False)[1])
    return out


def _nbytes(m: TermMatches) -> int:
    return m.starts.nbytes + m.entry.nbytes + m.report.nbytes + m.code.nbytes + m.in_heading.nbytes


@dataclass
class SectionScores:
    """The scored sections of some reports: parallel arrays, one row per (report, section) with a match."""

    report: np.ndarray  # report ordinal
    sec: np.ndarray  # section index (-1: the opening)
    score: np.ndarray
    holds_all: np.ndarray  # bool: it holds every positive term
    holds: np.ndarray  # bit k: it holds hit term k
    factors: dict  # per factor name: its array (bm25, heading, proximity, phrase, weak_share, opening, ...)
    idfs: list  # per hit term
    _by_report: tuple | None = field(default=None, repr=False, compare=False)  # (row order, reports) by report

    def of_report(self, r: int) -> dict[int, tuple[float, int]]:
        """Section index → (score, the bits of the hit terms it holds) for report ``r``, in row order (a
        bisection into the rows grouped by report: a page of 10,000 hits does not scan every row per hit)."""
        if self._by_report is None:
            order = np.argsort(self.report, kind="stable")
            self._by_report = (order, self.report[order])
        order, grouped = self._by_report
        rows = order[np.searchsorted(grouped, r, side="left"):np.searchsorted(grouped, r, side="right")]
        return {int(self.sec[i]): (float(self.score[i]), int(self.holds[i])) for i in rows}

    def report_scores(self, size: int) -> np.ndarray:
        """Per report: its best section's score plus the next ones damped (``DAMPING`` ** rank), each
        section holding only some terms counted at ``PARTIAL``."""
        if not len(self.score):
            return np.zeros(size)
        counted = np.where(self.holds_all, self.score, PARTIAL * self.score)
        # by report, then best first: one key, report + a fraction falling as the score rises, sorted stably (the
        # rows come grouped by report, so the sort merges short runs: a tenth of np.lexsort's time). Scores within
        # 1e-11 of each other may keep their order: the damped sum moves by as little.
        scale = 2.0 * (float(np.abs(counted).max()) + 1.0)
        order = np.argsort(self.report + (0.5 - counted / scale), kind="stable")
        rep = self.report[order]
        index = np.arange(len(rep))
        rank = index - np.maximum.accumulate(np.where(run_starts(rep), index, 0))
        return np.bincount(rep, weights=counted[order] * DAMPING ** rank, minlength=size)


def section_scores(st, plan, reports: np.ndarray) -> SectionScores:
    """Score every section holding a match of the plan's hit terms in the ``reports`` (a boolean array)."""
    cols = st.columns
    sec = cols.sections
    terms = plan.hit_terms
    parts = []
    idfs = []
    for k, t in enumerate(terms):
        m = term_matches(st, t.text)
        idfs.append(m.idf)
        keep = reports[m.report]
        if k in plan.in_heading:
            keep &= m.in_heading
        if int(np.count_nonzero(keep)) == len(keep):  # every match counts (a query without filters): no copies
            parts.append((m.starts, m.entry, m.weight, m.in_heading))
        else:
            parts.append((m.starts[keep], m.entry[keep], _WEIGHTS[m.code[keep]], m.in_heading[keep]))
    empty = SectionScores(*(np.zeros(0, dtype=t) for t in (np.int64, np.int64, float, bool, np.int64)), {}, idfs)
    n_terms = len(terms)
    if not parts or not sum(len(p[0]) for p in parts):
        return empty
    if n_terms == 1:  # one term's arrays as they are
        (starts, entry, weight, in_heading), term = parts[0], 0
    else:
        starts, entry, weight, in_heading = (np.concatenate(x) for x in zip(*parts))
        term = np.repeat(np.arange(n_terms), [len(p[0]) for p in parts])
    # Each term's matches ascend, and so do their entries (sections are ordered by address): merging the terms'
    # runs by address (a stable sort of sorted runs is a merge) orders the entries too, at a tenth of the cost of
    # sorting them again (np.unique).
    by_address = None if n_terms == 1 else np.argsort(starts, kind="stable")
    ordered = entry if by_address is None else entry[by_address]
    new = run_starts(ordered)
    ents = ordered[new]
    inv = np.cumsum(new) - 1
    if by_address is not None:
        inv[by_address] = inv.copy()
    cell = inv * n_terms + term if n_terms > 1 else inv
    size = len(ents) * n_terms
    tf = np.bincount(cell, weights=weight, minlength=size).reshape(-1, n_terms)
    raw = np.bincount(cell, minlength=size).reshape(-1, n_terms)
    heads = np.bincount(cell, weights=in_heading, minlength=size).reshape(-1, n_terms) > 0
    idf_arr = np.array(idfs)
    avg = float(sec.length[1:].mean()) if len(sec.length) > 1 else 1.0
    norm = K1 * (1 - B + B * sec.length[ents] / (avg or 1.0))
    bm25 = _row_sum(idf_arr * tf * (K1 + 1) / (tf + norm[:, None]))
    head_len = (sec.body[ents] - sec.addr[ents]).astype(float)
    head_factor = np.where(head_len <= LONG_HEADING, 1.0, LONG_HEADING / np.maximum(head_len, 1.0))
    substance = 1 - SUBSTANCE + SUBSTANCE * np.minimum(sec.length[ents] / SUBSTANCE_LENGTH, 1.0)
    heading = HEADING_BOOST * _row_sum(heads * idf_arr) * head_factor * substance
    proximity = _proximity(starts, inv, term, len(ents), n_terms, by_address) * float(idf_arr.mean())
    phrase = _phrase(st, plan, ents) * float(idf_arr.mean())
    opening = np.where(sec.sec[ents] < 0, OPENING, 1.0)
    for kind, w in KIND_WEIGHTS.items():
        bit = 1 << KINDS.index(kind)
        opening = np.where((sec.mask[ents] & bit) != 0, opening * np.where(_row_sum(heads) > 0, 1.0, w), opening)
    score = (bm25 + heading + proximity + phrase) * opening
    held = raw > 0
    holds_all = _row_sum(held) == n_terms
    holds = _row_sum(held * (1 << np.arange(n_terms, dtype=np.int64)))
    matches = _row_sum(raw)
    weak_share = 1.0 - _row_sum(tf) / np.maximum(matches, 1)
    factors = {"bm25": bm25, "heading": heading, "proximity": proximity, "phrase": phrase, "opening": opening,
               "matches": matches, "weak_share": weak_share, "length": sec.length[ents]}
    return SectionScores(cols.doc_report[sec.doc[ents]], sec.sec[ents], score, holds_all, holds, factors, idfs)


def _row_sum(a: np.ndarray) -> np.ndarray:
    """Each row's sum of a (sections, terms) array: numpy reduces a short axis row by row (ten times slower over
    100k sections), so up to 8 terms column by column, left to right, the order numpy's sum over so few takes
    (from 8 on it sums in blocks: numpy's own then)."""
    if a.shape[1] >= 8:
        return a.sum(axis=1)
    out = a[:, 0].astype(np.int64 if a.dtype == bool else a.dtype)
    for k in range(1, a.shape[1]):
        out += a[:, k]
    return out


def _proximity(starts, inv, term, n_ents: int, n_terms: int, order) -> np.ndarray:
    """Per section: PROXIMITY halving every PROXIMITY_SCALE positions of the closest pair of matches of two
    different terms (0 with one term, or where no two terms meet); ``order``: the matches by address."""
    out = np.zeros(n_ents)
    if n_terms < 2 or len(starts) < 2:
        return out
    s, e, t = starts[order], inv[order], term[order]
    pair = (e[1:] == e[:-1]) & (t[1:] != t[:-1])
    gap = (s[1:] - s[:-1])[pair].astype(float)
    credit = PROXIMITY * 2.0 ** (-gap / PROXIMITY_SCALE)
    np.maximum.at(out, e[1:][pair], credit)
    return out


def _phrase(st, plan, ents: np.ndarray) -> np.ndarray:
    """Per section: ADJACENT_BOOST where a typed term of several words occurs as typed (the words mode)."""
    out = np.zeros(len(ents))
    if plan.mode != "words":
        return out
    for text in plan.phrase_texts:
        m = term_matches(st, text)
        out[np.isin(ents, m.entry)] += ADJACENT_BOOST
    return out


def order(st, plan, listed: np.ndarray, sort: str,
          first: int | None = None) -> tuple[np.ndarray, np.ndarray | None, SectionScores | None]:
    """Reports in page order (an array of ordinals; by score, only the ``first`` ones when given: a page needs no
    more), their scores (an array over all reports, or None when sorted by year) and the scored sections (None
    without terms)."""
    reports = np.flatnonzero(listed)
    year_rank = st.columns.year_rank
    if not plan.hit_terms or not len(reports):
        return reports[np.argsort(year_rank[reports], kind="stable")], None, None
    if sort == "year":
        return reports[np.argsort(year_rank[reports], kind="stable")], None, None
    scored = section_scores(st, plan, listed)
    scores = scored.report_scores(st.size)
    return best(reports, scores[reports], year_rank, first), scores, scored


def best(reports: np.ndarray, scores: np.ndarray, year_rank: np.ndarray, first: int | None = None) -> np.ndarray:
    """``reports`` (ascending ordinals) by ``scores`` (theirs), highest first, then by year rank, then by ordinal;
    the ``first`` of them only when given: those scoring at least the ``first``-th best score are sorted (a partition
    finds it), the same reports in the same order as the whole sort's head, ties included."""
    if first is not None and 0 < first < len(reports) // 4:
        cut = len(scores) - first
        keep = scores >= np.partition(scores, cut)[cut]
        reports, scores = reports[keep], scores[keep]
    ordered = reports[np.lexsort((year_rank[reports], -scores))]
    return ordered if first is None else ordered[:first]



def satisfies(node, held: set[str]) -> bool:
    """Does a section holding the hit terms ``held`` (texts) answer the query tree by itself? Negations and
    title-scoped terms are the report's business, not the section's."""
    if node is None or isinstance(node, ql.Not):
        return True
    if isinstance(node, ql.Term):
        return node.scope == "title" or node.text in held
    if isinstance(node, ql.Near):
        return all(t in held for t in node.terms)
    if isinstance(node, ql.Or):
        return any(satisfies(c, held) for c in node.children)
    return all(satisfies(c, held) for c in node.children)
