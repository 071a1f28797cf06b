"""Did you mean (read side, after matching): a term that finds nothing because of a slip, one character
off a word of the index (执发 for 执法), gets that word from the index's own vocabulary, with its count.

The vocabulary is the jieba words of every report (``search.words``); a candidate starts with the
term's first or second character (the words are read by prefix, never the whole vocabulary: a slip in
the first character is found only where the term's rest is a word) and differs from it by one substitution,
insertion or deletion; the one an exact search finds in the most reports wins (ties: the first in
code-point order), with that count.
"""

from __future__ import annotations

import numpy as np

from search import query as ql
from search.analysis import normalize_text
from search.matching import leaf

MIN_REPORTS = 2  # a word of fewer reports is no better a guess than the slip
MAX_CANDIDATES = 8  # the most widely held (as a jieba word) are counted exactly


def words_from(st, prefix: str) -> list[str]:
    """The index's words (two characters or more) starting with ``prefix``, sorted."""
    return [word for word in st.words().expand_prefix(prefix) if len(word) >= 2]


def one_off(a: str, b: str) -> bool:
    """Are ``a`` and ``b`` one substitution, insertion or deletion apart?"""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def closest(st, term: str, scope: str = "all") -> tuple[str, int] | None:
    """(the index word one character off ``term`` that an exact search finds in the most reports, that
    count); never ``term`` itself, None when no such word is held by ``MIN_REPORTS`` reports."""
    t = normalize_text(term)
    if len(t) < 2:
        return None
    near = {w for prefix in dict.fromkeys(t[:2]) for w in words_from(st, prefix) if w != t and one_off(t, w)}
    found = sorted((-st.words().doc_frequency(w), w) for w in near)[:MAX_CANDIDATES]
    counted = [(int(np.count_nonzero(leaf(st, ql.Term(w, scope)))), w) for _, w in found]
    counted = [(n, w) for n, w in counted if n >= MIN_REPORTS]
    if not counted:
        return None
    n, word = min(counted, key=lambda x: (-x[0], x[1]))
    return word, n


def did_you_mean(st, q: str, tree) -> dict | None:
    """For a query that found nothing: the first positive term that matches nothing and has a close word,
    as {"q": the query with that word, "term", "word", "count": reports an exact search for it finds}."""
    for t in ql.positive_terms(tree):
        if np.any(leaf(st, t)):
            continue
        hit = closest(st, t.text, t.scope)
        if hit is not None:
            word, count = hit
            return {"q": q.replace(t.text, word, 1) if t.text in q else word, "term": t.text, "word": word,
                    "count": count}
    return None
