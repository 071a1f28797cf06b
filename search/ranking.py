"""Ranking (read side, after matching): the order of the reports listed, and of each report's sections.

- Reports: BM25F on the query plan's jieba words over report-level fields (``RANK_FIELDS``: ``rwords``,
  ``rheadings``, ``title`` on the head documents, one posting per report, read block by block into arrays
  by ``search.postings``), plus a bonus where a typed term of several words occurs as typed
  (``report_scores``). Word scores are cached per generation (``WORDS_CACHE`` words).
- Sections (only those of the reports shown): a BM25 of their literal matches, boosted where a term is in
  the heading (``section_score``), with each term's idf over reports (``term_idf``).
- Without terms, or sorted by year: newest year first, then file name (``order``).
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

import numpy as np

from search.analysis import normalize_text
from search.matching import leaf
from search.postings import blocks
from search.snippets import match_spans

WORDS_CACHE = 64  # ranking scores of recent query words (a dict of ≤ one float per report each)
RANK_FIELDS = (("rwords", 1.0), ("rheadings", 2.0), ("title", 1.5))  # head documents: one per report
K1, B = 1.2, 0.75
ADJACENT_BOOST = 1.0
HEADING_BOOST = 2.0
AVG_SECTION_CHARS = 600


def length_norms(reader, heads: np.ndarray, n_docs: int) -> dict[str, np.ndarray]:
    """Per ranking field, per docnum: K1 × BM25's length normalization (computed once per generation; only
    head documents hold these fields)."""
    norms: dict[str, np.ndarray] = {}
    for fieldname, _ in RANK_FIELDS:
        lengths = np.array([reader.doc_field_length(int(d), fieldname, 0) or 0 for d in heads], dtype=np.float64)
        avg = (lengths.mean() if len(lengths) else 0.0) or 1.0
        field_norms = np.full(n_docs, K1, dtype=np.float64)
        field_norms[heads] = K1 * (1 - B + B * lengths / avg)
        norms[fieldname] = field_norms
    return norms


def order(st, plan, listed: np.ndarray, sort: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Reports in page order (an array of ordinals) and their relevance scores (an array over all
    reports, or None when sorted by year; see ``report_scores``)."""
    reports = np.flatnonzero(listed)
    year_rank = st.columns.year_rank
    if sort == "year" or not plan.terms or not len(reports):
        return reports[np.argsort(year_rank[reports], kind="stable")], None
    scores = report_scores(st, plan)
    return reports[np.lexsort((year_rank[reports], -scores[reports]))], scores


def report_scores(st, plan) -> np.ndarray:
    """BM25F of each report over its whole text (``rwords``), headings and title, plus a bonus where a
    typed term of several words occurs literally (its words adjacent as typed)."""
    acc = np.zeros(st.size, dtype=np.float64)
    idfs = {}
    for w in plan.words:
        idfs[w], scores = word_scores(st, w)
        acc += scores
    for t, ws in plan.phrases:
        if t.scope == "all":
            acc[leaf(st, t) != 0] += ADJACENT_BOOST * sum(idfs.get(w, 0.0) for w in ws)
    return acc


def word_scores(st, w: str) -> tuple[float, np.ndarray]:
    """(idf, per report: BM25F of word ``w`` over the ranking fields), cached per generation."""
    hit = st.words_cache.get(w)
    if hit is not None:
        st.words_cache.move_to_end(w)
        return hit
    acc = np.zeros(st.size, dtype=np.float64)
    best_idf = 0.0
    for fieldname, boost in RANK_FIELDS:
        df = st.reader.doc_frequency(fieldname, w)
        if not df:
            continue
        w_idf = idf(st.size, df)
        best_idf = max(best_idf, w_idf)
        docs, tf = _field_postings(st, fieldname, w)
        acc[st.columns.doc_report[docs]] += boost * w_idf * (K1 + 1) * tf / (tf + st.columns.norms[fieldname][docs])
    st.words_cache[w] = (best_idf, acc)
    if len(st.words_cache) > WORDS_CACHE:
        st.words_cache.popitem(last=False)
    return best_idf, acc


def _field_postings(st, fieldname: str, w: str) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, term frequencies) of ``w`` in ``fieldname``, deleted documents left out."""
    ids, tfs = [], []
    for offset, block in blocks(st.reader, fieldname, w):
        if block._weights is None:
            block._read_weights()
        ids.append(np.asarray(block._ids, dtype=np.int64) + offset)
        tfs.append(np.asarray(block._weights, dtype=np.float64))
    docs, tf = np.concatenate(ids), np.concatenate(tfs)
    live = st.columns.doc_report[docs] >= 0
    return docs[live], tf[live]


def idf(reports: int, df: int) -> float:
    """BM25's idf of a term found in ``df`` of ``reports`` reports."""
    n = max(reports, 1)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def term_idf(st, terms) -> list[float]:
    """Per term: its idf over the reports it matches (a literal term's own answer, ``search.matching``)."""
    return [idf(st.size, int(np.count_nonzero(leaf(st, t)))) for t in terms]


@lru_cache(maxsize=1024)
def _folded(term: str) -> str:
    return normalize_text(term)


def section_score(text, heading, spans, terms, idfs, phrases, folded=None) -> float:
    """BM25 of a section over the literal matches of the query's terms (saturating in their count,
    normalized by the section's length), plus a boost for terms in its heading and a bonus where a
    typed term of several words occurs as typed (words mode). ``idfs``: per term (``term_idf``)."""
    counts = Counter(k for _, _, k in spans)
    norm = K1 * (1 - B + B * len(text) / AVG_SECTION_CHARS)
    heading = normalize_text(heading)
    score = 0.0
    for k, n in counts.items():
        score += idfs[k] * n * (K1 + 1) / (n + norm)
        if _folded(terms[k]) in heading:
            score += HEADING_BOOST * idfs[k]
    for phrase in phrases:
        if match_spans(text, [phrase], folded):
            score += ADJACENT_BOOST * max(idfs, default=1.0)
    return score
