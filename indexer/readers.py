"""Indexer stage 1, readers: bytes on disk → text.

``read_file(path)`` turns one report file (.txt, .html/.htm, .docx, .pdf) into a ``Document``: the text as
lines, the format, the encoding it was decoded from, and the metadata the file states itself. Anything it
cannot turn into non-blank text raises ``ReadError(path, reason)`` with a short reason a user can act on.

The text keeps the characters of the source: no space collapsing inside lines (the parser normalizes NBSP
and ideographic spaces itself, keeping offsets), only newlines are normalized to "\\n".
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")

# Encodings a Chinese report is published in without a BOM; GBK and GB2312 bytes decode identically as
# GB18030. (BOM-less UTF-16 is recognised by its NUL bytes before detection runs.)
_CHINESE_ENCODINGS = ["gb18030", "big5"]
_TRIED = "tried utf-8, gb18030, utf-16, big5"
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_LINE_BREAK = re.compile(r"\r\n?|[\f\u2028\u2029\x85]")
_OTHER_BREAK = re.compile(r"[\r\f\u2028\u2029\x85]")  # what starts a _LINE_BREAK
# C0 controls other than \t \n \v \f \r (and ESC, seen in some old files): their presence means binary.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# A report is tens of thousands of characters; parsing and indexing cost grows with the text, so a huge
# file (a log, a data dump renamed .txt) is refused with a reason instead of tying up a worker for minutes.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000


class ReadError(Exception):
    """A file that cannot be read as a report; ``str(e) == f"{path}: {reason}"``."""

    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass
class Document:
    text: str
    format: str  # "txt" | "html" | "docx" | "pdf"
    encoding: str | None = None  # for txt/html: the encoding the bytes were decoded from
    meta: dict[str, str] = field(default_factory=dict)


def read_file(path: str | os.PathLike) -> Document:
    """Read one report file into a Document, or raise ReadError saying why it cannot be read."""
    suffix = Path(path).suffix.lower()
    data = _read_bytes(path, suffix)
    if suffix == ".txt":
        if len(data) > 4 * MAX_TEXT_CHARS:  # no encoding takes more than 4 bytes a character: too long anyway
            raise ReadError(path, f"text too long for a report ({len(data) / 2**20:.0f} MB, at most "
                                  f"{MAX_TEXT_CHARS:,} characters)")
        text, encoding = decode_text(data, path)
        doc = Document(normalize_newlines(text), "txt", encoding)
    elif suffix in (".html", ".htm"):  # the format modules are imported lazily: bs4/lxml/pdfminer are slow
        from indexer.html_text import read_html

        doc = read_html(data, path)
    elif suffix == ".docx":
        from indexer.office_text import read_docx

        doc = read_docx(data, path)
    else:
        from indexer.office_text import read_pdf

        doc = read_pdf(data, path)
    if not doc.text.strip():
        raise ReadError(path, "no text found")
    if len(doc.text) > MAX_TEXT_CHARS:
        raise ReadError(path, f"text too long for a report ({len(doc.text):,} characters, at most {MAX_TEXT_CHARS:,})")
    return doc


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


def normalize_newlines(text: str) -> str:
    """CRLF / CR / form feed (page breaks) / Unicode line separators → "\\n"; a leading BOM dropped."""
    text = text.removeprefix("\ufeff")
    if not _OTHER_BREAK.search(text):
        return text  # the usual case; a character-class scan is much cheaper than the substitution's
    return _LINE_BREAK.sub("\n", text)


def decode_text(data: bytes, path: str | os.PathLike = "") -> tuple[str, str]:
    """Decode the bytes of a text file; returns (text, encoding). Raises ReadError for binary/undecodable."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, path), encoding
    if b"\x00" in data:
        encoding = _bomless_utf16(data)
        try:
            if encoding:
                return _checked(data.decode(encoding), path), encoding
        except UnicodeDecodeError:
            pass
        raise ReadError(path, "not a text file (binary content)")
    text, encoding = _decode_bomless(data)
    if text is None:
        raise ReadError(path, f"undecodable text ({_TRIED})")
    return _checked(text, path), encoding


def _decode_bomless(data: bytes) -> tuple[str | None, str]:
    """Strict UTF-8 (fast, unambiguous), then detection among Chinese encodings, then near-misses."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes (a cut download) must not be "detected" as GB18030 mojibake
    text = _lenient(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = _detect(data)
    if best is not None:
        return str(best), _python_name(best.encoding)
    return _lenient(data, "gb18030"), "gb18030"


def _detect(data: bytes):
    """charset-normalizer among the Chinese encodings. On short texts it can take Big5 bytes for GB18030,
    which then decodes to private-use characters (GB18030's user-defined areas): a report never has those,
    so among its candidates the one with the fewest wins, in its own order otherwise."""
    candidates = list(from_bytes(data, cp_isolation=_CHINESE_ENCODINGS, threshold=0.5))
    if not candidates:
        return None
    return min(candidates, key=lambda m: len(_PRIVATE_USE.findall(str(m))))


def _strict(data: bytes, encoding: str, path) -> str:
    try:
        return _checked(data.decode(encoding), path)
    except UnicodeDecodeError:
        raise ReadError(path, f"undecodable text (not valid {encoding})") from None


def _checked(text: str, path) -> str:
    """Text decoded from binary garbage is full of control characters."""
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise ReadError(path, "not a text file (binary content)")
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII characters (newlines, digits) put their NUL on one side of each pair,
    CJK characters only rarely (U+xx00) on the other; binary data has NULs on both sides."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 4 * even:
        return "utf-16-le"
    if even > 4 * odd:
        return "utf-16-be"
    return None


def _lenient(data: bytes, encoding: str) -> str | None:
    """A file with a few broken bytes (truncated download, bad copy) is still that report."""
    text = data.decode(encoding, errors="replace")
    return text if text.count("\ufffd") * 200 <= len(text) else None  # at most 0.5% damaged


def _python_name(encoding: str) -> str:
    return codecs.lookup(encoding).name
