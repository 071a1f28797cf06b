"""Snippets (read side, last stage of a result page): find matches in stored text, cut sentences, mark.

Four parts, as in Whoosh's ``highlight.py``:
- finding: ``match_spans`` searches the *normalized* stored text for each query term (a regex per term,
  a space matches any whitespace run within a line, as in the index) and maps spans back to original offsets;
  normalization is a per-character table lookup, so this costs microseconds and never runs jieba
  (``merged_spans``: the same, overlapping matches merged, for marking a whole text);
- fragmenting: sentences (。！？； and line breaks) that contain matches;
- ordering: sentences with more distinct terms first, then more matches; shown in text order;
- formatting: ``render`` escapes every piece of report text (``html.escape``) and wraps matches in
  ``<mark>``: the only place where report text becomes HTML. Each snippet is then an ``Html`` string:
  marked safe here, once escaped, by markupsafe's ``__html__`` protocol (which Jinja honours), so a page
  prints it as it is and nothing escapes it a second time.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from search.analysis import normalize, normalize_text, sentence_spans, to_original

MAX_SNIPPETS = 3
MAX_CHARS = 160  # a longer sentence is cut to a window around its first match
CONTEXT = 50


class Html(str):
    """A string of HTML escaped by ``render``: templates print it unescaped (markupsafe's ``__html__``
    protocol), JSON writes it as the string it is."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


@lru_cache(maxsize=1024)
def term_pattern(term: str) -> re.Pattern | None:
    """Regex matching ``term`` literally in normalized text (inner whitespace = a run of whitespace
    within one line, as in the exact index)."""
    norm = normalize_text(term).strip()
    if not norm:
        return None
    parts = [re.escape(p) for p in norm.split()]
    return re.compile(r"[^\S\n\r\x0b\x0c\x85\u2028\u2029]+".join(parts))


def match_spans(text: str, terms, norm_offsets=None) -> list[tuple[int, int, int]]:
    """(start, end, term index) of every non-overlapping occurrence of each term, original offsets, sorted."""
    norm, offsets = norm_offsets if norm_offsets is not None else normalize(text)
    spans = []
    for k, term in enumerate(terms):
        pat = term_pattern(term)
        if pat is None:
            continue
        for m in pat.finditer(norm):
            s, e = to_original(offsets, m.start(), m.end())
            spans.append((s, e, k))
    spans.sort()
    return spans


def merged_spans(text: str, terms) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) of every match of ``terms`` in ``text``: overlapping matches
    merged into one (the marks of the report and compare pages)."""
    merged: list[tuple[int, int]] = []
    for start, end, _ in match_spans(text, terms):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def render(text: str, start: int, end: int, spans) -> str:
    """HTML of text[start:end] with the given spans marked; everything escaped here, once."""
    out = []
    pos = start
    for s, e, _ in spans:
        s, e = max(s, start), min(e, end)
        if e <= s or e <= pos:
            continue
        s = max(s, pos)
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def _window(text: str, s: int, e: int, spans) -> tuple[int, int, str, str]:
    """Trim a long sentence around its first match; returns (start, end, prefix, suffix)."""
    if e - s <= MAX_CHARS:
        return s, e, "", ""
    first = next((a for a, b, _ in spans if a >= s and b <= e), s)
    ws = max(s, first - CONTEXT)
    we = min(e, ws + MAX_CHARS)
    return ws, we, ("…" if ws > s else ""), ("…" if we < e else "")


def snippets(text: str, spans, max_snippets: int = MAX_SNIPPETS, sentences=None) -> list[Html]:
    """Sentence-aligned HTML fragments of ``text`` around ``spans`` (from ``match_spans``); ``sentences``: the
    text's ``sentence_spans`` as (starts, ends) where the caller has them (``search.storedtexts``)."""
    return [shown for _, shown in placed_snippets(text, spans, max_snippets, sentences)]


def placed_snippets(text: str, spans, max_snippets: int = MAX_SNIPPETS, sentences=None) -> list[tuple[int, Html]]:
    """``snippets``, each with the offset in ``text`` of its first shown character (where its paragraph is)."""
    if not spans:
        return []
    if sentences is None:
        cut = sentence_spans(text)
        sentences = ([s for s, _ in cut], [e for _, e in cut])
    starts, ends = sentences
    by_sentence: dict[int, list] = {}  # sentence → the spans overlapping it, in order (sentences ascend)
    for sp in spans:
        first = bisect_right(ends, sp[0])
        for i in range(first, bisect_left(starts, sp[1], lo=first)):
            by_sentence.setdefault(i, []).append(sp)
    scored = []
    for i in sorted(by_sentence):
        inside = by_sentence[i]
        scored.append((-len({k for _, _, k in inside}), -len(inside), starts[i], ends[i], inside))
    best = sorted(sorted(scored)[:max_snippets], key=lambda x: x[2])
    out = []
    for _, _, s, e, inside in best:
        ws, we, pre, post = _window(text, s, e, inside)
        body = render(text, ws, we, inside)
        piece = text[ws:we]
        out.append((ws + len(piece) - len(piece.lstrip()), Html(pre + body.strip() + post)))
    return out
