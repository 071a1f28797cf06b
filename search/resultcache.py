"""Result cache (read side, per open generation): recent result pages, keyed by the validated request.

Each ``search.state.IndexState`` holds one, so it lives and dies with its generation: after a swap the new
state starts empty and a page of the old index is never served for the new one. Results are kept compact
(``compacted``: facet values as arrays, no pickling) and handed out by ``search.engine`` as dicts again with
fresh top-level lists (``expanded``); their hits are shared between callers and read-only. Bounded in entries, least recently used
first out, and in the bytes they hold (estimated: ``result_bytes``); pages of more than ``MAX_LIMIT`` reports (whole
listings) are not kept.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict

import numpy as np

MAX_ENTRIES = 256
MAX_BYTES = 24_000_000  # what the results hold at most (``result_bytes``): a 10k index lists thousands of facet values
MAX_PAGES = 64  # rendered pages (``search.engine.Engine.memo``)
MAX_PAGE_BYTES = 16_000_000  # their bytes at most
MAX_LIMIT = 100  # reports per page: bigger pages (every file of a result) are not cached
FACET_VALUE_BYTES = 13  # a facet value as kept (``compacted``): a reference to its label, a u4 count, a bool
HIT_BYTES = 4_000  # a hit with its sections and snippets


def compacted(result):
    """A result as the cache keeps it: each facet's values as (labels, counts, selected): a tuple of the labels
    (the columns' own strings), a u4 array and a bool array, a fifteenth of the value dicts (a 10k index's
    results carry thousands of values each)."""
    return dataclasses.replace(result, facets={
        name: (tuple(v["value"] for v in values), np.array([v["count"] for v in values], dtype=np.uint32),
               np.array([v["selected"] for v in values], dtype=bool))
        for name, values in result.facets.items()})


def expanded(kept):
    """A kept result (``compacted``) as ``search.engine`` hands it out: facet values as dicts again, fresh
    top-level lists (the hits themselves are shared: read-only)."""
    return dataclasses.replace(kept, hits=list(kept.hits), notices=list(kept.notices), also=list(kept.also),
                               facets={name: [{"value": v, "count": n, "selected": sel}
                                              for v, n, sel in zip(labels, counts.tolist(), selected.tolist())]
                                       for name, (labels, counts, selected) in kept.facets.items()})


def result_bytes(result) -> int:
    """What a kept result (``compacted``) holds, estimated: its facet values and its hits."""
    return (1_000 + FACET_VALUE_BYTES * sum(len(labels) for labels, _, _ in result.facets.values())
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
