"""Web UI stage: the CSV export of a search (``/search.csv``): one row per matching section.

UTF-8 with a byte-order mark and CRLF line ends, so that Excel opens it with the Chinese intact. Cells that
Excel would read as a formula (``=`` ``+`` ``-`` ``@`` first) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from .markup import snippet_text
from .urls import report_url, section_anchor

COLUMNS = ("agency", "province", "city", "year", "heading", "snippet", "link", "title", "path", "matches", "file")
SNIPPET_JOIN = " … "


def rows(result: dict, q: str, mode: str) -> list[dict]:
    out = []
    for hit in result["hits"]:
        for section in hit["sections"]:
            link = report_url(hit["file"], q, mode, _external=True, **section_anchor(section))
            path = section.get("path") or []
            out.append({
                "agency": hit.get("agency"), "province": hit.get("province"), "city": hit.get("city"),
                "year": hit.get("year"), "heading": section.get("heading"),
                "snippet": SNIPPET_JOIN.join(snippet_text(s) for s in section.get("snippets", [])),
                "link": link, "title": hit.get("title"),
                "path": " › ".join(path) if isinstance(path, list) else path,
                "matches": section.get("matches"), "file": hit["file"],
            })
    return out


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(table: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # excel dialect: CRLF, minimal quoting
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def grid_csv(header: list[str], table: list[list]) -> bytes:
    """Any table (a header and rows of cells) as CSV for Excel, like ``to_csv``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in table:
        writer.writerow([_cell(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
