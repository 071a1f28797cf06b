"""Result cache (read side, per open generation): recent result pages, keyed by the validated request.

Each ``search.state.IndexState`` holds one, so it lives and dies with its generation: after a swap the new
state starts empty and a page of the old index is never served for the new one. Results are kept compact
as made (facets compact, ``search.facets.Facet``: values, counts and selections as arrays, no pickling) and
handed out by ``search.engine`` with facet values as dicts and fresh top-level lists (``expanded``); their hits are shared between callers and read-only. Bounded in entries, least recently used
first out, and in the bytes they hold (estimated: ``result_bytes``); pages of more than ``MAX_LIMIT`` reports (whole
listings) are not kept.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict

from search.facets import as_dicts

MAX_ENTRIES = 256
MAX_BYTES = 24_000_000  # what the results hold at most (``result_bytes``): a 10k index lists thousands of facet values
MAX_PAGES = 64  # rendered pages (``search.engine.Engine.memo``)
MAX_PAGE_BYTES = 16_000_000  # their bytes at most
MAX_LIMIT = 100  # reports per page: bigger pages (every file of a result) are not cached
FACET_VALUE_BYTES = 13  # a facet value as kept (``search.facets.Facet``): a reference to its label, a u4 count, a bool
HIT_BYTES = 4_000  # a hit with its sections and snippets


def expanded(kept):
    """A result as made and kept (its facets compact: ``search.facets.Facet``) as ``search.engine`` hands it
    out: facet values as dicts, fresh top-level lists (the hits themselves are shared: read-only)."""
    return dataclasses.replace(kept, hits=list(kept.hits), notices=list(kept.notices), also=list(kept.also),
                               facets={name: as_dicts(f) for name, f in kept.facets.items()})


def result_bytes(result) -> int:
    """What a kept result holds, estimated: its facet values and its hits."""
    return (1_000 + FACET_VALUE_BYTES * sum(len(f.values) for f in result.facets.values())
            + HIT_BYTES * len(result.hits))


def request_key(request) -> tuple:
    """A validated request (``search.engine.SearchRequest``) as a key: every field, lists as tuples (their
    order is kept: facets echo the selected values in the order given)."""
    return tuple((f.name, tuple(v) if isinstance(v, list) else v)
                 for f in dataclasses.fields(request) for v in [getattr(request, f.name)])


class ResultCache:
    """An LRU bounded in entries and, given ``size`` (an entry's bytes), in bytes; thread-safe."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int | None = None, size=None):
        self.max_entries, self.max_bytes, self.size = max_entries, max_bytes, size
        self._items: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self.nbytes = 0

    def get(self, key: tuple):
        """The result cached under ``key`` (shared: read-only), or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: tuple, result) -> None:
        nbytes = self.size(result) if self.size else 0
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.nbytes -= old[1]
            self._items[key] = (result, nbytes)
            self.nbytes += nbytes
            while len(self._items) > 1 and (len(self._items) > self.max_entries or (
                    self.max_bytes is not None and self.nbytes > self.max_bytes)):
                self.nbytes -= self._items.popitem(last=False)[1][1]

    def __len__(self) -> int:
        return len(self._items)
