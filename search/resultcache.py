"""Result cache (read side, per open generation): recent result pages, keyed by the validated request.

Each ``search.state.IndexState`` holds one, so it lives and dies with its generation: after a swap the new
state starts empty and a page of the old index is never served for the new one. Results are kept as they
are (no copy, no pickling: a hit costs a dict lookup), so they are shared between callers and read-only;
``search.engine`` hands out a result with fresh top-level lists. Bounded in entries, least recently used
first out; pages of more than ``MAX_LIMIT`` reports (whole listings) are not kept.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict

MAX_ENTRIES = 256
MAX_PAGES = 64  # rendered pages (``search.engine.Engine.memo``): up to ~200 KB each, ~13 MB a process
MAX_LIMIT = 100  # reports per page: bigger pages (every file of a result) are not cached


def request_key(request) -> tuple:
    """A validated request (``search.engine.SearchRequest``) as a key: every field, lists as tuples (their
    order is kept: facets echo the selected values in the order given)."""
    return tuple((f.name, tuple(v) if isinstance(v, list) else v)
                 for f in dataclasses.fields(request) for v in [getattr(request, f.name)])


class ResultCache:
    """An LRU of results; thread-safe."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple):
        """The result cached under ``key`` (shared: read-only), or None."""
        with self._lock:
            result = self._items.get(key)
            if result is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return result

    def put(self, key: tuple, result) -> None:
        with self._lock:
            self._items[key] = result
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
