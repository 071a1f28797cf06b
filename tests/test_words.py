"""search.words: the word files hold exactly each report's words (``search.schema.word_source``) and their
counts, whatever the chunking, and read back the statistics a Whoosh words field would give."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from search.engine import Engine
from search.schema import StoredReports, word_source
from search.words import WordFile, WordFileError, WordStore, WordWriter
from search_helpers import build_index, make_report


def _reference(engine):
    """Per head docnum, the Counter of its report's words, from the stored text (jieba again)."""
    with engine.reading() as st:
        stored = StoredReports(st.searcher)
        return {h: Counter(word_source(stored(h))) for h in st.columns.heads.tolist()}, st.reader.doc_count_all()


def _inverted(counts: dict[int, Counter]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for head in sorted(counts):
        for word, n in counts[head].items():
            out.setdefault(word, []).append((head, n))
    return out


def _assert_store_is(store: WordStore, counts: dict[int, Counter], doc_count: int) -> None:
    inverted = _inverted(counts)
    for word, postings in inverted.items():
        docs, tf = store.postings(word)
        assert postings == list(zip(docs.tolist(), tf.tolist())), word
        assert (len(postings), sum(n for _, n in postings)) == (store.doc_frequency(word), store.frequency(word))
        assert word in store
    lengths = np.zeros(doc_count, dtype=np.int64)
    for head, c in counts.items():
        lengths[head] = sum(c.values())
    assert lengths.tolist() == store.lengths().tolist()
    assert int(lengths.sum()) == store.field_length()
    for prefix in {w[:1] for w in inverted} | {w[:2] for w in inverted if len(w) > 1}:
        assert sorted(w for w in inverted if w.startswith(prefix)) == store.expand_prefix(prefix), prefix
    assert "不存在的词语" not in store
    assert ([], [], 0, 0) == (*[a.tolist() for a in store.postings("不存在的词语")],
                              store.doc_frequency("不存在的词语"), store.frequency("不存在的词语"))


def test_the_seed_index_holds_each_reports_words_and_counts(engine):
    counts, doc_count = _reference(engine)
    with engine.reading() as st:
        _assert_store_is(st.words(), counts, doc_count)
    assert sum(len(c) for c in counts.values()) > 1000


@pytest.mark.parametrize("chunk", [1, 500, 10**9])
def test_any_chunking_reads_the_same(engine, tmp_path, chunk):
    counts, doc_count = _reference(engine)
    writer = WordWriter(tmp_path / "x.words", chunk_postings=chunk)
    for head in sorted(counts):
        writer.add(head, counts[head].elements())
    wf = WordFile(writer.close())
    try:
        assert {1: len(counts), 500: len(wf.chunks), 10**9: 1}[chunk] == len(wf.chunks) > (chunk == 500)
        _assert_store_is(WordStore([(wf, 0)], doc_count), counts, doc_count)
    finally:
        wf.close()


def test_a_small_index_counts_repeated_words(tmp_path):
    build_index(tmp_path, [make_report("a.txt", "一、总体情况\n执法记录仪使用率高，执法记录仪回复及时。\n"),
                           make_report("b.txt", "一、总体情况\n及时回复。\n")])
    engine = Engine(tmp_path)
    try:
        with engine.reading() as st:
            words, heads = st.words(), st.columns.heads.tolist()
            got = {w: list(zip(*(a.tolist() for a in words.postings(w)))) for w in ("执法记录仪", "总体", "及时")}
        assert {"执法记录仪": [(heads[0], 2)], "总体": [(heads[0], 1), (heads[1], 1)],
                "及时": [(heads[0], 1), (heads[1], 1)]} == got
    finally:
        engine.close()


@pytest.mark.parametrize("cut", ["tail", "table"])
def test_a_damaged_word_file_is_an_error(engine, tmp_path, cut):
    counts, _ = _reference(engine)
    writer = WordWriter(tmp_path / "x.words")
    for head in sorted(counts):
        writer.add(head, counts[head].elements())
    path = writer.close()
    data = path.read_bytes()
    path.write_bytes(data[:-3] if cut == "tail" else data[:-16][:-5] + data[-16:])
    with pytest.raises(WordFileError):
        WordFile(path)


@pytest.mark.parametrize("damage", ["missing", "cut"])
def test_an_index_with_a_bad_word_file_asks_for_a_rebuild(tmp_path, damage):
    """Related sections and did-you-mean read the word files on first use: a missing or cut one is the index's
    format error (a rebuild), with the other segment files left closed."""
    from search.engine import SearchRequest
    from search.related import related
    from search.schema import IndexFormatError
    from search.words import SUFFIX

    build_index(tmp_path, [make_report("a.txt", "一、总体情况\n执法记录仪使用率高。\n"),
                           make_report("b.txt", "一、总体情况\n执法记录仪回复及时。\n")])
    for path in tmp_path.glob(f"*{SUFFIX}"):
        path.unlink() if damage == "missing" else path.write_bytes(path.read_bytes()[:-4])
    engine = Engine(tmp_path)
    try:
        assert 2 == engine.search(SearchRequest(q="执法记录仪")).total  # searching needs no word file
        with pytest.raises(IndexFormatError, match="--rebuild"):
            related(engine, "a.txt", 0)
    finally:
        engine.close()
