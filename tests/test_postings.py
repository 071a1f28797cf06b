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


def test_positions_at_one_document(seed_index):
    from search.postings import positions_at

    with open_index(seed_index).reader() as reader:
        m = reader.postings("exact", "执法")
        expected = {}
        while m.is_active():
            expected[m.id()] = m.value_as("positions")
            m.next()
        assert expected == {d: positions_at(reader, "exact", "执法", d) for d in expected}
        absent = next(d for d in range(reader.doc_count_all()) if d not in expected)
        assert [] == positions_at(reader, "exact", "执法", absent)
