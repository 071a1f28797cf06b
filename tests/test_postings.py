"""search.postings: block-level reads equal what Whoosh's own matchers give."""

import pytest

from search.postings import blocks
from search.schema import open_index


@pytest.mark.parametrize("fieldname, term", [("rwords", "公安"), ("rwords", "执法"), ("rwords", "法治"),
                                             ("rwords", "报告")])
def test_block_ids_and_weights_equal_whoosh_matchers(seed_index, fieldname, term):
    with open_index(seed_index).reader() as reader:
        m = reader.postings(fieldname, term)
        expected = []
        while m.is_active():
            expected.append((m.id(), m.weight()))
            m.next()
        found = []
        for offset, leaf in blocks(reader, fieldname, term):
            leaf._read_weights()
            found.extend((offset + i, w) for i, w in zip(leaf._ids, leaf._weights))
        assert expected == found
        assert len(expected) > 0


def test_absent_word_has_no_blocks(seed_index):
    with open_index(seed_index).reader() as reader:
        assert [] == list(blocks(reader, "rwords", "不存在的词语"))
