"""search.postings: block-level reads equal what Whoosh's own matchers give."""

import pytest

from search.postings import PositionCursor, doc_ids
from search.schema import open_index


@pytest.mark.parametrize("fieldname, term", [("exact", "执法"), ("exact", "法"), ("exact", ","),
                                             ("exact", " "), ("rwords", "公安"), ("title", "报告")])
def test_doc_ids_and_positions_equal_whoosh_matchers(seed_index, fieldname, term):
    with open_index(seed_index).reader() as reader:
        m = reader.postings(fieldname, term)
        expected = []
        while m.is_active():
            expected.append((m.id(), m.value_as("positions")))
            m.next()
        ids = doc_ids(reader, fieldname, term)
        cursor = PositionCursor(reader, fieldname, term)
        assert expected == [(d, cursor.positions(d)) for d in ids]
        assert len(expected) > 0
