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
    out, pos = [], 0
    for start, end, mark_id in spans:
        out.append(str(escape(text[pos:start])))
        attr = f' id="{escape(mark_id)}"' if mark_id else ""
        out.append(f"<mark{attr}>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def linked(text: str, spans: list[tuple[int, int, str | None, str, str]]) -> Markup:
    """``text`` escaped, each ``(start, end, id, href, title)`` span (sorted, not overlapping) a link
    ``<a class="copy">`` (the copies view: each copied passage links to its other occurrence)."""
    out, pos = [], 0
    for start, end, mark_id, href, title in spans:
        out.append(str(escape(text[pos:start])))
        attr = f' id="{escape(mark_id)}"' if mark_id else ""
        out.append(f'<a class="copy"{attr} href="{escape(href)}" title="{escape(title)}">{escape(text[start:end])}</a>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
