"""Result cache (read side, per open generation): recent result pages, keyed by the validated request.

Each ``search.state.IndexState`` holds one, so it lives and dies with its generation: after a swap the new
state starts empty and a page of the old index is never served for the new one. Results are kept pickled:
a caller gets its own copy (pages add links to hits and facets) and the cache's size is known in bytes.
Bounded by entries and by bytes, least recently used first out.
"""

from __future__ import annotations

import dataclasses
import pickle
import threading
from collections import OrderedDict

MAX_ENTRIES = 512
MAX_BYTES = 64 * 2**20


def request_key(request) -> tuple:
    """A validated request (``search.engine.SearchRequest``) as a key: every field, lists as tuples (their
    order is kept: facets echo the selected values in the order given)."""
    return tuple((f.name, tuple(v) if isinstance(v, list) else v)
                 for f in dataclasses.fields(request) for v in [getattr(request, f.name)])


class ResultCache:
    """An LRU of pickled results; thread-safe."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple):
        """A fresh copy of the result cached under ``key``, or None."""
        with self._lock:
            blob = self._items.get(key)
            if blob is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
        return pickle.loads(blob)

    def put(self, key: tuple, result) -> None:
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        if len(blob) > self.max_bytes // 4:  # one huge page (every file of a big result) would evict the rest
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._items[key] = blob
            self._bytes += len(blob)
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)
