"""Web UI stage: where the query's terms occur in a report's full text (for the report page's marks).

Placeholder until the search layer's analysis lands: per-character NFKC + case folding with a map back to the
original offsets, positive terms only (operators and ``-term`` skipped).
"""

from __future__ import annotations

import re
import unicodedata

OPERATORS = {"OR", "AND", "NOT", "或", "与", "非"}
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def _normalize(text: str) -> tuple[str, list[int]]:
    out, origin = [], []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).casefold()
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


def query_terms(q: str) -> list[str]:
    terms = []
    for quoted, bare in _TOKEN.findall(q):
        term = quoted or bare.strip("()")
        if not term or term in OPERATORS or term.startswith("-"):
            continue
        terms.append(_normalize(term)[0])
    return terms


def match_spans(text: str, q: str, mode: str = "exact") -> list[tuple[int, int]]:
    norm, origin = _normalize(text)
    spans = []
    for term in query_terms(q):
        for m in re.finditer(re.escape(term), norm):
            spans.append((origin[m.start()], origin[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
