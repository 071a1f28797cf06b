"""Chunked array files (shared contract of the write and read sides of ``search.grams`` and ``search.words``):
a segment's file of arrays written chunk by chunk, then a JSON table of its chunks, the table's offset (u8)
and an 8-byte magic. Written under a temporary name and moved into place once flushed to disk; read with
``os.pread``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

U8 = np.dtype("<u8")
TAIL = 16  # the table's offset and the magic


class ChunkWriter:
    """The file under its temporary name (``file``) and the chunks' table entries (``chunks``); a subclass
    writes a chunk's arrays in ``_flush`` and appends its entry."""

    MAGIC = b""
    VERSION = 0

    def __init__(self, path):
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.file = open(self.tmp, "wb")
        self.chunks: list[dict] = []

    def _flush(self) -> None:
        raise NotImplementedError

    def close(self, path=None) -> Path:
        """Write the rest and the table, flush to disk and move the file into place (at ``path`` if
        given: a segment's file is named after the segment, known only once it is committed)."""
        if path is not None:
            self.path = Path(path)
        self._flush()
        table = json.dumps({"version": self.VERSION, "chunks": self.chunks}).encode("utf-8")
        at = self.file.tell()
        self.file.write(table)
        self.file.write(np.array([at], dtype=U8).tobytes() + self.MAGIC)
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        self.file.close()
        self.tmp.unlink(missing_ok=True)


def open_table(path: Path, magic: bytes, version: int, error: type[Exception], what: str) -> tuple[int, list[dict]]:
    """(an open descriptor, the chunks' entries) of the file at ``path``; ``error`` (closed) when it is missing,
    not such a file (``what``), cut short, damaged or of another version."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as e:
        raise error(f"{path.name}: {e.strerror}") from None
    try:
        size = os.fstat(fd).st_size
        tail = os.pread(fd, TAIL, size - TAIL) if size >= TAIL else b""
        if len(tail) != TAIL or tail[8:] != magic:
            raise error(f"{path.name}: not a {what} (or cut short)")
        at = int(np.frombuffer(tail[:8], dtype=U8)[0])
        if not 0 <= at <= size - TAIL:
            raise error(f"{path.name}: damaged (its table is out of the file)")
        try:
            table = json.loads(os.pread(fd, size - TAIL - at, at))
        except ValueError as e:
            raise error(f"{path.name}: unreadable ({e})") from None
        if not isinstance(table, dict) or table.get("version") != version or not isinstance(table.get("chunks"), list):
            raise error(f"{path.name}: written by another version (rebuild the index)")
        return fd, table["chunks"]
    except BaseException:
        os.close(fd)
        raise
