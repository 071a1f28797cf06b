"""Indexer stage 1 (readers), word97: .doc (Word 97–2003, common for government attachments) → text.

LibreOffice headless converts the file to .docx in a temporary folder (with its own user profile there, so
parallel workers never share one), and ``office.read_docx`` reads that. Without LibreOffice (``soffice`` or
``libreoffice`` on PATH) the build skips .doc files with ``MISSING`` as the reason.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from indexer.readers.office import read_docx
from indexer.readers.text import Document, ReadError

MISSING = ".doc (Word 97–2003) needs LibreOffice: install it (Debian: apt install libreoffice-writer-nogui)"
TIMEOUT = 180  # seconds for one conversion; a first start of LibreOffice (a new profile) takes a few


def soffice() -> str | None:
    """LibreOffice's command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(data: bytes, path) -> Document:
    exe = soffice()
    if exe is None:
        raise ReadError(path, MISSING)
    with tempfile.TemporaryDirectory(prefix="reports-doc-") as tmp:
        tmp = Path(tmp)
        source, out = tmp / "report.doc", tmp / "out"
        source.write_bytes(data)
        command = [exe, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", str(out), str(source)]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReadError(path, f"LibreOffice did not convert this .doc file within {TIMEOUT} s") from None
        converted = out / "report.docx"
        if not converted.is_file():
            raise ReadError(path, "not a valid .doc file (LibreOffice could not convert it)")
        doc = read_docx(converted.read_bytes(), path)
    return Document(doc.text, "doc", None, doc.meta)
