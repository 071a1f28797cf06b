"""Postings, block by block (read side, under ``search.engine``): word lookups without per-posting calls.

Whoosh's matchers cost a few Python calls per posting (id(), next(), weight()); the related-sections search
(``search.related.word_scores``) touches whole posting lists of the words field, so it reads Whoosh's own
posting blocks directly: tuples of ids, arrays of weights. This uses the block attributes of whoosh.codec.whoosh3
(``_read_ids``/``_read_weights``/``_read_values``/``_next_block``), stable in the pinned
whoosh-reloaded==2.7.5, where every posting list is blocks (its inlining path is broken: W3TermInfo
has no set_inline, so no index can hold inlined postings). Tests compare the results with Whoosh's matchers.
Deleted documents are skipped by the callers (their report ordinal is -1).
"""

from __future__ import annotations

from itertools import accumulate

from search.schema import segment_readers


def blocks(reader, fieldname, text):
    """(docnum offset, leaf matcher positioned on a block with its ids loaded) for every block."""
    for sub, offset in segment_readers(reader):
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
