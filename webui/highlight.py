"""Web UI stage: where the query's terms occur in a report's full text (the report page's marks).

The same terms and the same matching as the engine's snippets: the query is parsed by ``search.query``
(turned into jieba words in the words mode), its positive terms outside title scope are found by
``search.snippets.match_spans`` in normalized text; overlapping matches are merged into one mark.
"""

from __future__ import annotations

from search import query as ql
from search.snippets import match_spans as term_spans


def query_terms(q: str, mode: str = "exact") -> list[str]:
    tree = ql.parse(q).tree
    if mode == "words":
        tree = ql.to_words(tree)
    return [t.text for t in ql.positive_terms(tree) if t.scope != "title"]


def match_spans(text: str, q: str, mode: str = "exact") -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) offsets in ``text`` of every match of the query's terms."""
    merged: list[tuple[int, int]] = []
    for start, end, _ in term_spans(text, query_terms(q, mode)):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
