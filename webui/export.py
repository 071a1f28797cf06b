"""Web UI stage: the file exports: CSV (``/search.csv``, ``/matrix.csv``, ``/overlap.csv``) and Excel
(``*.xlsx``, openpyxl): one row per matching section for a search, any table for the other pages.

CSV: UTF-8 with a byte-order mark and CRLF line ends, so that Excel opens it with the Chinese intact. Cells that
Excel would read as a formula (``=`` ``+`` ``-`` ``@`` first) get a leading apostrophe. Excel files: a bold,
frozen header row with an auto-filter, column widths fitted to the content (CJK characters count double),
numbers as numbers and every text cell stored as text (never a formula).
"""

from __future__ import annotations

import csv
import io
import re

from .markup import snippet_text
from .urls import report_url, section_anchor

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters a worksheet cannot hold
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60  # characters; longer cells wrap
COLUMN_LABELS = {"agency": "机关", "province": "省份", "city": "城市", "year": "年份", "heading": "章节",
                 "snippet": "摘要", "link": "链接", "title": "标题", "path": "章节路径", "matches": "匹配数",
                 "file": "文件"}
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


def search_table(table: list[dict]) -> tuple[list[str], list[list]]:
    """The rows of ``rows`` as a header (Chinese column names) and cells, for ``to_xlsx``."""
    return [COLUMN_LABELS[c] for c in COLUMNS], [[row[c] for c in COLUMNS] for row in table]


def _width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text.split("\n")[0])


def to_xlsx(header: list[str], table: list[list], sheet: str = "Sheet1") -> bytes:
    """A workbook of one sheet: ``header`` in a bold frozen row with an auto-filter, then ``table``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    _xlsx_row(ws, header)
    for row in table:
        _xlsx_row(ws, row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(table) + 1}"
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, name in enumerate(header, start=1):
        widest = max([_width(name)] + [_width(row[i - 1]) for row in table[:2000] if i - 1 < len(row)])
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(6, widest + 2))
        if widest > MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = wrap
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_row(ws, values) -> None:
    """Append one row: numbers as numbers, booleans as 是/否, everything else as text (never a formula)."""
    ws.append([_xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _xlsx_value(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or isinstance(value, (int, float)):
        return value
    return _ILLEGAL.sub("", str(value)) or None  # an empty cell, not an empty string
