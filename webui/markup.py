"""Web UI stage: the one place where text becomes HTML that templates print unescaped.

Only our own ``<mark>`` is markup. Snippets arrive from ``search.snippets`` already escaped; they are still
re-escaped here piece by piece between their ``<mark>`` tags (unescape, then escape: idempotent on correct
input, and safe if a snippet ever carried a raw ``<``). Report text is escaped around the highlight spans.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

_MARK_TAG = re.compile(r"(</?mark>)")


def snippet_html(snippet: str) -> Markup:
    """A search snippet (escaped HTML with ``<mark>``) as safe markup, with every other tag neutralized."""
    out, depth = [], 0
    for part in _MARK_TAG.split(snippet):
        if part == "<mark>" and depth == 0:
            out.append(part)
            depth = 1
        elif part == "</mark>" and depth == 1:
            out.append(part)
            depth = 0
        elif part not in ("<mark>", "</mark>"):
            out.append(str(escape(html.unescape(part))))
    if depth:
        out.append("</mark>")
    return Markup("".join(out))


def snippet_text(snippet: str) -> str:
    """A search snippet as plain text (the CSV export)."""
    return html.unescape(_MARK_TAG.sub("", snippet))


def highlighted(text: str, spans: list[tuple[int, int, str | None]]) -> Markup:
    """``text`` escaped, each ``(start, end, id)`` span (sorted, not overlapping) in ``<mark id>`` (no id: None)."""
    out, pos = [], 0
    for start, end, mark_id in spans:
        out.append(str(escape(text[pos:start])))
        attr = f' id="{escape(mark_id)}"' if mark_id else ""
        out.append(f"<mark{attr}>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
