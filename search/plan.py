"""Query plan (read side, between parsing and matching): what one request asks of the index, made once.

``QueryPlan.of(q, mode, kinds)`` reads the parsed query (``search.query``) and its jieba words
(``search.analysis``; in the words mode a short name also as its full form, ``search.abbreviations``) once;
matching, facets, ranking, hits and the suggestion then read the plan, and none of them walks the query tree
again for its terms. No index is needed to make a plan (the statistics that need it: ``search.ranking``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from search import query as ql
from search.abbreviations import expand
from search.analysis import query_grams, query_words
from search.schema import ALL_KINDS, KINDS


@dataclass(frozen=True)
class QueryPlan:
    q: str
    mode: str  # "exact" | "words"
    typed: object | None  # the tree as typed (None: the empty query, every report)
    tree: object | None  # the tree searched (the words mode: each term its jieba words)
    notices: tuple[str, ...]  # what the parser repaired
    kmask: int  # the section kinds that count (bit i: KINDS[i]; all when none are asked for)
    terms: tuple[ql.Term, ...]  # the searched tree's positive terms (those of 同句/同段 groups too): ranked
    words: tuple[str, ...]  # their jieba words, each once, in order: the BM25F of reports
    phrases: tuple[tuple[ql.Term, tuple[str, ...]], ...]  # typed terms of several words outside title scope
    phrase_texts: tuple[str, ...]  # their texts (a section holding one as typed scores more)
    hit_terms: tuple[ql.Term, ...]  # the terms outside title scope: found in sections, highlighted
    texts: tuple[str, ...]  # their texts
    in_heading: frozenset[int]  # indexes into ``hit_terms`` of the heading-scoped ones (章节:)
    nears: tuple[ql.Near, ...]  # the positive 同句/同段 groups of the searched tree
    alone: frozenset[str]  # texts of the searched tree's positive plain terms (outside any group)
    grams: tuple[tuple[tuple[int, str], ...], ...]  # per hit term: its exact grams (offset, gram)

    @classmethod
    def of(cls, q: str, mode: str = "exact", kinds=()) -> QueryPlan:
        parsed = ql.parse(q)
        typed = parsed.tree
        plan_tree = ql.to_words(expand(typed)) if mode == "words" else typed
        terms = tuple(ql.positive_terms(plan_tree))
        typed_words = [(t, query_words(t.text)) for t in ql.positive_terms(typed)]
        hits = [t for t in terms if t.scope != "title"]
        leaves = ql.positive_leaves(plan_tree)
        phrases = tuple((t, ws) for t, ws in typed_words if t.scope != "title" and len(ws) > 1)
        return cls(
            q=q, mode=mode, typed=typed, tree=plan_tree, notices=tuple(parsed.notices), kmask=kind_mask(kinds),
            terms=terms,
            words=tuple(dict.fromkeys(w for t in terms for w in query_words(t.text))),
            phrases=phrases,
            phrase_texts=tuple(t.text for t, _ in phrases),
            hit_terms=tuple(hits),
            texts=tuple(t.text for t in hits),
            in_heading=frozenset(i for i, t in enumerate(hits) if t.scope == "heading"),
            nears=tuple(x for x in leaves if isinstance(x, ql.Near)),
            alone=frozenset(t.text for t in leaves if isinstance(t, ql.Term)),
            grams=tuple(tuple(query_grams(t.text)) for t in hits),
        )

    @cached_property
    def words_tree(self):
        """The typed tree in the words mode (what the suggestion counts); made only when asked for."""
        return ql.to_words(expand(self.typed))


def kind_mask(kinds) -> int:
    """The kind bits of the named section kinds (unknown names: none); all kinds when none are named."""
    if not kinds:
        return ALL_KINDS
    mask = 0
    for k in kinds:
        if k in KINDS:
            mask |= 1 << KINDS.index(k)
    return mask
