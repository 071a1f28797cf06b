"""Indexer stage 1 (readers), text: the ``Document`` every reader returns, ``ReadError``, and plain text.

A .txt report's bytes are decoded (a BOM, BOM-less UTF-16, strict UTF-8, then detection among the Chinese
encodings, then near-misses with a few broken bytes) and its newlines normalized to "\\n"; the HTML and
office readers use the same ``decode_text`` / ``decode_strict`` and ``normalize_newlines``.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

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
    format: str  # "txt" | "html" | "docx" | "pdf" | "doc"
    encoding: str | None = None  # for txt/html: the encoding the bytes were decoded from
    meta: dict[str, str] = field(default_factory=dict)


def read_txt(data: bytes, path) -> Document:
    if len(data) > 4 * MAX_TEXT_CHARS:  # no encoding takes more than 4 bytes a character: too long anyway
        raise ReadError(path, f"text too long for a report ({len(data) / 2**20:.0f} MB, at most "
                              f"{MAX_TEXT_CHARS:,} characters)")
    text, encoding = decode_text(data, path)
    return Document(normalize_newlines(text), "txt", encoding)


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
            return decode_strict(data[len(bom) :], encoding, path), encoding
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


def decode_strict(data: bytes, encoding: str, path) -> str:
    """Decode with exactly ``encoding`` (a BOM's, a page's declared charset), checked for binary content;
    ``ReadError`` if the bytes are not valid in it (``LookupError`` if Python does not know it)."""
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
