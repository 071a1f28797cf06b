"""Fingerprint store (shared contract of the write and read sides): winnowed k-gram hashes of each report's
text, one file per Whoosh segment, for finding verbatim copies (``search.overlap``) without a scan.

- A report's *content* is its stored text (the text the report page shows) normalized as everywhere
  (``search.analysis.normalize``: width, traditional → simplified, case) with every character that is not a
  word character (punctuation, symbols, whitespace) left out: ``content`` gives the code points and, for
  each, its offset in the stored text.
- Every K-gram of the content gets a 32-bit hash; winnowing keeps, of each window of W consecutive hashes,
  the smallest (the rightmost on ties). Two texts sharing a run of at least K + W - 1 = ``MIN_CHARS``
  content characters share a window, so both keep its smallest hash at the same place in the run: every
  such copy is seen. About 2 / (W + 1) of the positions are kept. A hash match is only a candidate: the
  overlap analysis compares the two texts themselves.
- ``MAIN_<segment id>.prints`` holds a segment's fingerprints sorted by hash as three arrays of equal
  length: hash (``<u4``), the report (its ordinal in the file's table of head docnums) and content position,
  each of these two in the narrower of ``<u2``/``<u4`` that holds all of the file's (8 bytes a fingerprint
  for a segment of fewer than 65,536 reports of at most 65,536 characters; 12 before format 16), after a
  32-byte header (magic, count, reports, the two widths) and the head docnums (``<u4`` each). Whoosh deletes
  it with its segment; a merged segment gets it from ``indexer.build.gramfiles`` like its gram file.

Reads use ``os.pread``; only the hash array is kept in memory (loaded on first use).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from search.analysis import fold_codes
from search.grams import _is_word, run_starts

K = 16  # characters hashed together
W = 15  # hashes per winnowing window
MIN_CHARS = K + W - 1  # the shortest copy guaranteed to be seen
MAGIC = b"RPRINT02"
HEADER = 32  # bytes: magic, count (u8), reports (u8), the report and position widths (u1 each), padding
U2 = np.dtype("<u2")
SUFFIX = ".prints"
U4, U8 = np.dtype("<u4"), np.dtype("<u8")
WIDTHS = (None, None, U2, None, U4)  # by item size
READ_GAP = 2048  # entries: ranges of a lookup closer than this are read with one pread
_BASE = np.uint64(0x100000001B3)  # the FNV prime: odd, so the rolling sum mixes every character
_MIX = np.uint64(0x9E3779B97F4A7C15)


def path_for(index_path, segment_id: str) -> Path:
    return Path(index_path) / f"{segment_id}{SUFFIX}"


# --------------------------------------------------------------------------------------------------
# Content and hashes


def content(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(code points, offsets in ``text``) of the word characters of ``text`` normalized: the characters of
    ``search.analysis.normalize(text)`` that are word characters, each with the offset of the original
    character it comes from."""
    if not text:
        return np.zeros(0, dtype=U4), np.zeros(0, dtype=np.int64)
    folded, where = fold_codes(text)
    if where is None:
        where = np.arange(len(folded), dtype=np.int64)
    keep = _is_word(folded)
    return folded[keep], where[keep]


def kgram_hashes(codes: np.ndarray) -> np.ndarray:
    """The 32-bit hash of each K-gram of ``codes`` (len(codes) - K + 1 of them; none if shorter)."""
    n = len(codes) - K + 1
    if n <= 0:
        return np.zeros(0, dtype=U4)
    c = codes.astype(U8)
    h = np.zeros(n, dtype=U8)
    for j in range(K):  # polynomial hash mod 2**64, one vector operation per character of the gram
        h *= _BASE
        h += c[j:j + n]
    h ^= h >> np.uint64(29)
    h *= _MIX
    return (h >> np.uint64(32)).astype(U4)


def winnow(hashes: np.ndarray) -> np.ndarray:
    """The positions kept by winnowing (ascending): of each window of W hashes, its rightmost minimum."""
    if len(hashes) < W:
        return np.zeros(0, dtype=np.int64)
    # Column by column over the windows (numpy's argmin along a short axis goes row by row: 2.5x slower): each
    # window's minimum, then the rightmost column holding it. As a window slides on, its rightmost minimum never
    # moves left, so the kept positions ascend and repeat only one after the other.
    windows = np.lib.stride_tricks.sliding_window_view(hashes, W)
    low = windows[:, 0].copy()
    for j in range(1, W):
        np.minimum(low, windows[:, j], out=low)
    rightmost = np.full(len(windows), -1, dtype=np.int64)
    for j in range(W - 1, -1, -1):
        rightmost[(rightmost < 0) & (windows[:, j] == low)] = j
    kept = np.arange(len(windows)) + rightmost
    return kept[run_starts(kept)]


def fingerprints(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, content positions) a report's text is stored under."""
    hashes = kgram_hashes(content(text)[0])
    kept = winnow(hashes)
    return hashes[kept], kept.astype(U4)


# --------------------------------------------------------------------------------------------------
# Writing


class PrintWriter:
    """Collects reports' fingerprints (``add``, any docnum order) and writes one segment's file."""

    def __init__(self, path):
        self.path = Path(path)
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, doc: int, text: str) -> None:
        """One report: its head document's docnum and its stored text."""
        hashes, pos = fingerprints(text)
        self.parts.append((hashes, np.full(len(hashes), doc, dtype=U4), pos))

    def close(self, path=None) -> Path:
        """Sort by hash, write to a temporary file, flush and move it into place (at ``path`` if given)."""
        if path is not None:
            self.path = Path(path)
        empty = np.zeros(0, dtype=U4)
        hashes, docs, pos = (np.concatenate(x) for x in zip(*self.parts)) if self.parts else (empty,) * 3
        order = np.argsort(hashes, kind="stable")
        heads, ords = np.unique(docs, return_inverse=True)
        ord_w, pos_w = (_narrowest(a) for a in (ords, pos))
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(MAGIC + np.array([len(order), len(heads)], dtype=U8).tobytes()
                    + bytes([ord_w.itemsize, pos_w.itemsize]) + bytes(HEADER - 26))
            f.write(heads.astype(U4).tobytes())
            for arr, width in ((hashes, U4), (ords, ord_w), (pos, pos_w)):
                f.write(np.ascontiguousarray(arr.astype(width)[order]).tobytes())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        self.parts = []
        return self.path


def _narrowest(values: np.ndarray) -> np.dtype:
    return U2 if not len(values) or int(values.max()) < 1 << 16 else U4


# --------------------------------------------------------------------------------------------------
# Reading


class PrintFileError(Exception):
    """A segment's fingerprint file is missing or unreadable."""


class PrintFile:
    """One segment's fingerprint file, open for positional reads; its hashes are read on first use."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.fd = os.open(self.path, os.O_RDONLY)
        except OSError as e:
            raise PrintFileError(f"{self.path.name}: {e.strerror}") from None
        head = os.pread(self.fd, HEADER, 0)
        size = os.fstat(self.fd).st_size
        ok = len(head) == HEADER and head[:8] == MAGIC and head[24] in (2, 4) and head[25] in (2, 4)
        self.count, n = (int(x) for x in np.frombuffer(head[8:24], dtype=U8)) if ok else (0, 0)
        self.widths = (U4, WIDTHS[head[24]], WIDTHS[head[25]]) if ok else ()
        self.starts = [HEADER + 4 * n]  # where the hashes, the reports and the positions start
        for width in self.widths:
            self.starts.append(self.starts[-1] + width.itemsize * self.count)
        if not ok or size != self.starts[-1]:
            os.close(self.fd)
            raise PrintFileError(f"{self.path.name}: not a fingerprint file (or cut short)")
        self.heads = self._read(HEADER, U4, n).astype(np.int64)  # a report's ordinal → its head docnum
        self._hashes: np.ndarray | None = None
        self._lock = threading.Lock()

    def _read(self, at: int, width: np.dtype, count: int) -> np.ndarray:
        data = os.pread(self.fd, width.itemsize * count, at) if count else b""
        if len(data) != width.itemsize * count:
            raise PrintFileError(f"{self.path.name}: cut short")
        return np.frombuffer(data, dtype=width)

    def _array(self, which: int, start: int, count: int) -> np.ndarray:
        """Entries ``start`` … of array ``which`` (0 hashes, 1 reports' ordinals, 2 positions)."""
        width = self.widths[which]
        return self._read(self.starts[which] + width.itemsize * start, width, count)

    @property
    def hashes(self) -> np.ndarray:
        if self._hashes is None:
            with self._lock:
                if self._hashes is None:
                    self._hashes = self._array(0, 0, self.count)
        return self._hashes

    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each entry holding one of ``hashes`` (sorted, distinct): (index into ``hashes``, head docnum,
        content position). Entries close together are read in one go."""
        lo = np.searchsorted(self.hashes, hashes, side="left")
        hi = np.searchsorted(self.hashes, hashes, side="right")
        held = np.flatnonzero(hi > lo)
        if not len(held):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=U4), np.zeros(0, dtype=U4)
        lo, hi = lo[held], hi[held]
        n = hi - lo
        ends = np.cumsum(n)
        which = np.repeat(held, n)
        entries = np.repeat(lo - ends + n, n) + np.arange(int(ends[-1]))  # every entry's index, ascending
        breaks = np.flatnonzero(lo[1:] - hi[:-1] > READ_GAP) + 1  # runs of ranges read as one block
        docs, pos = [], []
        for first, last in zip(np.append(0, breaks).tolist(), np.append(breaks, len(lo)).tolist()):
            a, b = int(lo[first]), int(hi[last - 1])
            inside = entries[int(ends[first] - n[first]):int(ends[last - 1])] - a
            docs.append(self.heads[self._array(1, a, b - a)[inside]].astype(U4))
            pos.append(self._array(2, a, b - a)[inside].astype(U4))
        return which, np.concatenate(docs), np.concatenate(pos)

    def everything(self) -> tuple[np.ndarray, np.ndarray]:
        """Every entry's (hash, head docnum), sorted by hash (the collection's self-join)."""
        return self.hashes, self.heads[self._array(1, 0, self.count)].astype(U4)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
