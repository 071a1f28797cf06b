"""webui.export's Excel files: /search.xlsx and /matrix.xlsx hold what their CSV twins hold; cells are never
formulas; the header row is bold and frozen, the columns fitted."""

from __future__ import annotations

import csv
import io

import pytest

from office_helpers import converts_to_pdf, sheet, sheet_rows
from webui.export import COLUMN_LABELS, COLUMNS, to_xlsx


def csv_rows(client, url: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get(url).data.decode("utf-8-sig"), newline="")))


def as_text(rows) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in rows]


@pytest.mark.parametrize("query", ["q=执法记录仪", "q=执法&city=广州", "q=没有这个词语呀"])
def test_search_xlsx_holds_the_csv_rows(client, query, tmp_path):
    expected = csv_rows(client, f"/search.csv?{query}")
    response = client.get(f"/search.xlsx?{query}")
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" == response.mimetype
    rows = sheet_rows(response.data)
    assert [COLUMN_LABELS[c] for c in COLUMNS] == rows[0]
    assert expected[1:] == as_text(rows[1:])  # (no seed cell starts like a formula: the CSV would prefix ')
    ws = sheet(response.data)
    assert ("A2", True) == (ws.freeze_panes, ws["A1"].font.bold)
    if query == "q=执法记录仪":
        assert converts_to_pdf(response.data, "search.xlsx", tmp_path).startswith(b"%PDF")


def test_matrix_xlsx_holds_the_csv_grid(client):
    expected = csv_rows(client, "/matrix.csv?q=执法&rows=city")
    assert expected == as_text(sheet_rows(client.get("/matrix.xlsx?q=执法&rows=city").data))


def test_cells_are_text_or_numbers_never_formulas():
    data = to_xlsx(["a", "b", "c"], [["=HYPERLINK(\"x\")", 3, True], ["+1", None, "控制\x07字符"]])
    ws = sheet(data)
    assert [["a", "b", "c"], ['=HYPERLINK("x")', 3, "是"], ["+1", None, "控制字符"]] == sheet_rows(data)
    assert ("s", "n") == (ws["A2"].data_type, ws["B2"].data_type)
    assert 6 <= ws.column_dimensions["A"].width <= 60
