"""Abbreviations (read side, with the query plan): the genre's short names and the phrases they stand for.

``search/data/abbreviations.tsv`` (its source in its header) pairs a short name with its full form
(两法衔接 ↔ 行政执法与刑事司法衔接). Exact mode never changes what it matches: the result offers the other form
as an "also search" link (``also``: the query with the term as ``(short OR full)``); the words mode searches
both forms (``expand``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from search import query as ql
from search.analysis import normalize_text

TABLE = Path(__file__).resolve().parent / "data" / "abbreviations.tsv"


@lru_cache(maxsize=1)
def pairs(path=TABLE) -> tuple[tuple[str, str], ...]:
    """(short, full) pairs, normalized; ``#`` lines are comments."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            short, full = line.split("\t")[:2]
            out.append((normalize_text(short.strip()), normalize_text(full.strip())))
    return tuple(out)


def alternatives(term: str) -> list[str]:
    """The other forms of ``term`` (its full forms if it is a short name, its short names if a full form)."""
    t = normalize_text(term)
    out = [full for short, full in pairs() if short == t] + [short for short, full in pairs() if full == t]
    return list(dict.fromkeys(out))


def expand(node):
    """The tree with each plain term that has other forms as (term OR its other forms): the words mode."""
    if isinstance(node, ql.Term):
        alts = alternatives(node.text) if node.scope != "title" else []
        return ql.Or((node, *(ql.Term(a, node.scope) for a in alts))) if alts else node
    if isinstance(node, ql.Not):
        return ql.Not(expand(node.child))
    if isinstance(node, (ql.And, ql.Or)):
        return type(node)(tuple(expand(c) for c in node.children))
    return node


def also(q: str, tree) -> list[dict]:
    """For each positive typed term with other forms: {"term", "means", "q"}, ``q`` the query with the term
    searched in either form (exact mode, an offer: the typed query's matches stay as they are)."""
    out = []
    for t in ql.positive_leaves(tree):
        if not isinstance(t, ql.Term) or t.scope == "title":
            continue
        for alt in alternatives(t.text):
            either = f'({t.text} OR "{alt}")'
            out.append({"term": t.text, "means": alt,
                        "q": q.replace(t.text, either, 1) if t.text in q else f"{q} {either}"})
    return out
