"""Test helpers for the Word and Excel exports: open them with python-docx / openpyxl, and have a real office
suite (LibreOffice headless, Debian's libreoffice-writer-nogui and libreoffice-calc-nogui) convert them to PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SKIP = "office tests need LibreOffice: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"


def sheet_rows(data: bytes) -> list[list]:
    """Every row of the first sheet of an Excel file, as values."""
    from openpyxl import load_workbook

    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def sheet(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data)).active


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph of a Word file."""
    import docx

    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


def converts_to_pdf(data: bytes, name: str, tmp_path: Path) -> bytes:
    """The PDF LibreOffice makes of the file (fails the test if it cannot open it)."""
    if SOFFICE is None:
        pytest.skip(SKIP)
    source = tmp_path / name
    source.write_bytes(data)
    profile = tmp_path / "lo-profile"
    done = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=180)
    pdf = source.with_suffix(".pdf")
    assert (0, True) == (done.returncode, pdf.exists()), done.stdout + done.stderr
    return pdf.read_bytes()
