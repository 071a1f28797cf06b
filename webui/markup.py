"""Web UI stage: where report text becomes HTML that templates print unescaped, besides the snippets.

Only our own ``<mark>`` (and the copies view's ``<a class="copy">``) is markup. Search snippets are escaped once, and marked safe, by ``search.snippets``
(``Html``): pages print them as they are, and a plain string in their place would be escaped whole by Jinja.
Here the report and compare pages' text is escaped around its highlight spans (``highlighted``), and a
snippet is turned back into plain text for the CSV export (``snippet_text``).
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

_MARK_TAG = re.compile(r"(</?mark>)")


def snippet_text(snippet: str) -> str:
    """A search snippet as plain text (the CSV export)."""
    return html.unescape(_MARK_TAG.sub("", snippet))


def highlighted(text: str, spans: list[tuple[int, int, str | None]]) -> Markup:
    """``text`` escaped, each ``(start, end, id)`` span (sorted, not overlapping) in ``<mark id>`` (no id: None)."""
    return _wrapped(text, spans, lambda mark_id: ("<mark" + _id(mark_id) + ">", "</mark>"))


def linked(text: str, spans: list[tuple[int, int, str | None, str, str]]) -> Markup:
    """``text`` escaped, each ``(start, end, id, href, title)`` span (sorted, not overlapping) a link
    ``<a class="copy">`` (the copies view: each copied passage links to its other occurrence)."""
    return _wrapped(text, spans, lambda mark_id, href, title: (
        f'<a class="copy"{_id(mark_id)} href="{escape(href)}" title="{escape(title)}">', "</a>"))


def _id(mark_id: str | None) -> str:
    return f' id="{escape(mark_id)}"' if mark_id else ""


def _wrapped(text: str, spans, tags) -> Markup:
    """``text`` escaped, each span ``(start, end, *attributes)`` between the tags ``tags(*attributes)`` gives."""
    out, pos = [], 0
    for start, end, *attributes in spans:
        opening, closing = tags(*attributes)
        out.append(str(escape(text[pos:start])))
        out.append(f"{opening}{escape(text[start:end])}{closing}")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
