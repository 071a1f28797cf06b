"""Indexer stage 1 (readers): bytes on disk → text.

``read_file(path)`` turns one report file (.txt, .html/.htm, .docx, .pdf, .doc) into a ``Document``: the text as
lines, the format, the encoding it was decoded from, and the metadata the file states itself. Anything it
cannot turn into non-blank text raises ``ReadError(path, reason)`` with a short reason a user can act on.

The text keeps the characters of the source: no space collapsing inside lines (the parser normalizes NBSP
and ideographic spaces itself, keeping offsets), only newlines are normalized to "\\n".

This module reads the bytes (refusing what is not a regular report file) and dispatches by suffix; the
readers are ``text`` (``Document``, ``ReadError``, decoding, .txt), ``html``, ``office`` (.docx, .pdf; with
``docx_numbering``), ``word97`` (.doc, through LibreOffice). Imports run one way: the format modules import
``text``, nothing imports back. ``skip_reason(path)`` says why the build passes over a file without reading it
(a type no reader takes, or a .doc without LibreOffice installed).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from indexer.readers.text import MAX_TEXT_CHARS, Document, ReadError, read_txt

__all__ = ["SUPPORTED_SUFFIXES", "Document", "ReadError", "read_file", "skip_reason"]

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf", ".doc")
# A huge file (a log, a data dump renamed .txt) is refused with a reason, as in ``text.MAX_TEXT_CHARS``.
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_file(path: str | os.PathLike) -> Document:
    """Read one report file into a Document, or raise ReadError saying why it cannot be read."""
    suffix = Path(path).suffix.lower()
    data = _read_bytes(path, suffix)
    if suffix == ".txt":
        doc = read_txt(data, path)
    elif suffix in (".html", ".htm"):  # the format modules are imported lazily: bs4/lxml/pdfminer are slow
        from indexer.readers.html import read_html

        doc = read_html(data, path)
    elif suffix == ".docx":
        from indexer.readers.office import read_docx

        doc = read_docx(data, path)
    elif suffix == ".doc":
        from indexer.readers.word97 import read_doc

        doc = read_doc(data, path)
    else:
        from indexer.readers.office import read_pdf

        doc = read_pdf(data, path)
    if not doc.text.strip():
        raise ReadError(path, "no text found")
    if len(doc.text) > MAX_TEXT_CHARS:
        raise ReadError(path, f"text too long for a report ({len(doc.text):,} characters, at most {MAX_TEXT_CHARS:,})")
    return doc


def skip_reason(path: str | os.PathLike) -> str | None:
    """Why a build passes over a file like ``path`` without reading it, or None when ``read_file`` reads it."""
    suffix = os.path.splitext(os.path.basename(os.fspath(path)))[1].lower()
    suffix = "" if suffix == "." else suffix  # as Path.suffix: a trailing dot is no suffix
    if suffix not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {suffix or '(no suffix)'} (read: {', '.join(SUPPORTED_SUFFIXES)})"
    if suffix == ".doc":
        from indexer.readers.word97 import MISSING, soffice

        return MISSING if soffice() is None else None
    return None


def _read_bytes(path: str | os.PathLike, suffix: str) -> bytes:
    p = Path(path)
    try:
        if not p.exists():
            raise ReadError(path, _missing_reason(p))
        if p.is_dir():
            raise ReadError(path, "is a directory")
        if suffix not in SUPPORTED_SUFFIXES:
            raise ReadError(path, f"unsupported file type {suffix or '(no suffix)'}")
        data = _read_regular(p, path)
    except PermissionError:
        raise ReadError(path, "permission denied") from None
    except OSError as e:
        raise ReadError(path, f"cannot read file ({e.strerror or e})") from None
    if not data.strip():
        raise ReadError(path, "empty file")
    return data


def _missing_reason(p: Path) -> str:
    if not p.is_symlink():
        return "no such file"
    try:
        p.stat()
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def _read_regular(p: Path, path) -> bytes:
    """The bytes of a regular file. A FIFO, socket or device is refused: opening a FIFO blocks forever."""
    with open(p, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(path, "not a regular file (a pipe, socket or device)")
        if st.st_size > MAX_FILE_BYTES:
            raise ReadError(path, f"file too large for a report ({st.st_size / 2**20:.0f} MB, "
                                  f"at most {MAX_FILE_BYTES // 2**20} MB)")
        return f.read()
