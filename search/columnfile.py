"""Column file (shared contract of the write and read sides): one generation's ``search.columns.Columns``,
saved at build time so that opening the index maps it from disk instead of reading Whoosh's columns value
by value (1.7M generator steps at 10k reports).

Generic by construction: whatever object ``search.columns.load`` returns is pickled (protocol 5) with its
numpy arrays *out of band*, each array's bytes laid out in the file (64-byte aligned) and mapped back with
``mmap`` on opening, so a new field of ``Columns`` is saved and loaded without code here; only the Python
containers (report metadata, per-report lists) are unpickled.

- ``columns-<n>.bin`` beside the Whoosh files, ``n`` the Whoosh TOC generation it describes, so a file
  linked or copied into a later generation is never read for it (an older one is removed when a newer is
  written, see ``write``). It also holds the segments and their deletion counts it was made from: a file
  that does not describe the open reader is not used (``read`` returns None, as for a missing file).
- Layout: the arrays, the pickle, a JSON table (``{"version", "key", "buffers": [[offset, size], ...],
  "pickle": [offset, size]}``), its offset (u8) and ``MAGIC``.

Without the file (an index built before it existed) ``search.columns.load`` reads the columns as before;
a damaged file raises ``ColumnFileError`` (the read side reports it like a damaged gram file).
"""

from __future__ import annotations

import gc
import json
import mmap
import os
import pickle
import re
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from search.schema import segment_readers

MAGIC = b"RCOLS001"
ALIGN = 64
_NAME = re.compile(r"^columns-(\d+)\.bin$")


class ColumnFileError(Exception):
    """A generation's column file is unreadable or cut short."""


def path_for(index_path, toc_generation: int) -> Path:
    return Path(index_path) / f"columns-{toc_generation}.bin"


def reader_key(reader) -> list:
    """What a column file must have been made from to describe ``reader``: its segments in order, with their
    document and deletion counts."""
    return [[sub.segment().segment_id(), sub.doc_count_all(), sub.doc_count_all() - sub.doc_count()]
            for sub, _ in segment_readers(reader)]


def write(obj, path, key: list) -> Path:
    """Save ``obj`` (its numpy arrays out of band) at ``path`` through a temporary file and a rename; remove
    the directory's column files of other generations."""
    path = Path(path)
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    tmp = path.with_name(path.name + ".tmp")
    table = {"version": 1, "key": key, "buffers": []}
    with open(tmp, "wb") as f:
        for buf in buffers:
            raw = buf.raw()
            f.write(b"\0" * (-f.tell() % ALIGN))
            table["buffers"].append([f.tell(), raw.nbytes])
            f.write(raw)
        table["pickle"] = [f.tell(), len(payload)]
        f.write(payload)
        at = f.tell()
        f.write(json.dumps(table).encode("utf-8"))
        f.write(np.array([at], dtype="<u8").tobytes() + MAGIC)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    for other in path.parent.iterdir():
        if _NAME.match(other.name) and other.name != path.name:
            other.unlink(missing_ok=True)
    return path


def stored_key(path) -> list | None:
    """The key a column file was written with (None: no file, or not a readable one)."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(size - 16, 0))
            tail = f.read(16)
            if len(tail) != 16 or tail[8:] != MAGIC:
                return None
            at = int(np.frombuffer(tail[:8], dtype="<u8")[0])
            f.seek(at)
            return json.loads(f.read(size - 16 - at))["key"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextmanager
def _no_gc():
    """The cyclic garbage collector paused: unpickling a 100k index's per-report objects (a few million dicts and
    lists, none of them garbage) ran it over and over, 0.86 s of a 1.65 s open; 0.27 s without."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read(path, key: list):
    """The object saved at ``path``, its arrays mapped read-only from the file; None when there is no file or
    it was made from other segments than ``key``'s."""
    path = Path(path)
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return None
    except OSError as e:
        raise ColumnFileError(f"{path.name}: {e.strerror}") from None
    with f:
        try:
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            raise ColumnFileError(f"{path.name}: not a column file (or cut short)") from None
    view = memoryview(mm)
    try:
        size = len(mm)
        if size < 16 or mm[size - 8:] != MAGIC:
            raise ColumnFileError(f"{path.name}: not a column file (or cut short)")
        at = int(np.frombuffer(mm[size - 16:size - 8], dtype="<u8")[0])
        if not 0 <= at <= size - 16:
            raise ColumnFileError(f"{path.name}: damaged (its table is out of the file)")
        table = json.loads(bytes(mm[at:size - 16]))
        if table["key"] != key:
            return None
        spans = table["buffers"] + [table["pickle"]]
        if any(not (0 <= o and o + n <= at) for o, n in spans):
            raise ColumnFileError(f"{path.name}: damaged (a part is out of the file)")
        buffers = [view[o:o + n] for o, n in table["buffers"]]
        o, n = table["pickle"]
        with _no_gc():
            return pickle.loads(view[o:o + n], buffers=buffers)
    except ColumnFileError:
        raise
    except Exception as e:  # a damaged table or pickle: whatever json, pickle or numpy raise
        raise ColumnFileError(f"{path.name}: unreadable ({type(e).__name__}: {e})") from None
