"""Postings, block by block (read side, under ``search.engine``): term lookups without per-posting calls.

Whoosh's matchers cost a few Python calls per posting (id(), next(), value()); term lookups here
touch whole posting lists, so they read Whoosh's own posting blocks directly: tuples of ids, arrays
of weights, lists of encoded positions. This uses the block attributes of whoosh.codec.whoosh3
(``_read_ids``/``_read_weights``/``_read_values``/``_next_block``), stable in the pinned
whoosh-reloaded==2.7.5, where every posting list is blocks (its inlining path is broken: W3TermInfo
has no set_inline, so no index can hold inlined postings). Tests compare the results with a grep.
Deleted documents are skipped by the callers (their report ordinal is -1).
"""

from __future__ import annotations

import pickle
from bisect import bisect_left
from itertools import accumulate


def blocks(reader, fieldname, text):
    """(docnum offset, leaf matcher positioned on a block with its ids loaded) for every block."""
    for sub, offset in reader.leaf_readers():
        if (fieldname, text) not in sub:
            continue
        leaf = sub.postings(fieldname, text)
        while hasattr(leaf, "child"):  # FilterMatcher over deleted documents
            leaf = leaf.child
        while leaf.is_active():
            if leaf._ids is None:
                if leaf._data is None:
                    leaf._read_data()
                ids = leaf._data[0]
                leaf._ids = ids if leaf._byteids else tuple(accumulate(ids))  # = whoosh's delta_decode
            yield offset, leaf
            leaf._next_block()


def doc_ids(reader, fieldname, text) -> list[int]:
    out: list[int] = []
    for offset, leaf in blocks(reader, fieldname, text):
        out.extend(leaf._ids if not offset else [offset + i for i in leaf._ids])
    return out


def decode_positions(value: bytes) -> list[int]:
    # whoosh.formats.Positions.encode: 4-byte count + pickled deltas without pickle's final STOP
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(pickle.loads(value[4:])))


class PositionCursor:
    """Positions of one term in documents asked for in ascending order ([] where it is absent)."""

    def __init__(self, reader, fieldname, text):
        self.blocks = blocks(reader, fieldname, text)
        self.max_doc = -1
        self.ids = ()
        self.offset = 0
        self.leaf = None
        self.done = False

    def positions(self, d: int) -> list[int]:
        while self.max_doc < d:
            if self.done:
                return []
            try:
                self.offset, self.leaf = next(self.blocks)
            except StopIteration:
                self.done = True
                return []
            self.ids = self.leaf._ids
            self.max_doc = self.offset + self.ids[-1]
        i = bisect_left(self.ids, d - self.offset)
        if self.ids[i] != d - self.offset:
            return []
        if self.leaf._values is None:
            self.leaf._read_values()
        return decode_positions(self.leaf._values[i])


def positions_at(reader, fieldname, text, d: int) -> list[int]:
    """Positions of a term in one document ([] if absent); skips blocks by their header alone."""
    for sub, offset in reader.leaf_readers():
        if not offset <= d < offset + sub.doc_count_all():
            continue
        if (fieldname, text) not in sub:
            return []
        leaf = sub.postings(fieldname, text)
        while hasattr(leaf, "child"):
            leaf = leaf.child
        local = d - offset
        while leaf.is_active() and leaf.block_max_id() < local:
            leaf._next_block()
        if not leaf.is_active():
            return []
        if leaf._data is None:
            leaf._read_data()
        ids = leaf._data[0] if leaf._byteids else tuple(accumulate(leaf._data[0]))
        i = bisect_left(ids, local)
        if i == len(ids) or ids[i] != local:
            return []
        leaf._read_values()
        return decode_positions(leaf._values[i])
    return []
