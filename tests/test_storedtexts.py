"""search.storedtexts: the stored fields, folded text and sentences hits read, cached per generation."""

from __future__ import annotations

from build_helpers import SEEDS
from indexer.build import build
from search.analysis import normalize, sentence_spans
from search.engine import Engine, SearchRequest
from search import storedtexts
from search.schema import StoredReports
from search.storedtexts import StoredText, StoredTexts


def _stored(st, d):
    """Document d's stored fields, from its report's list on the head document, found by its doc id."""
    rid = st.columns.reports[st.columns.doc_report[d]]["file"]
    head = st.columns.report_docs[st.columns.doc_report[d]][0]
    found = [x for x in StoredReports(st.searcher)(head) if x["doc_id"] == f"{rid}#{int(st.columns.doc_sec[d]) + 1}"]
    assert 1 == len(found)
    return found[0]


def test_an_entry_is_the_documents_stored_fields_its_fold_and_its_sentences(engine):
    with engine.reading() as st:
        texts = StoredTexts(st.searcher, st.columns)
        docnums = list(st.reader.all_doc_ids())
        for d in docnums:
            item = texts.get(d)
            stored = _stored(st, d)
            (norm, offsets), (starts, ends) = item.folded, item.sentences
            text = stored.get("text") or ""
            assert (item.fields, item.text, (norm, None if offsets is None else list(offsets)),
                    list(zip(starts, ends))) == (stored, text, normalize(text), sentence_spans(text))
            assert texts.get(d) is item
    assert len(docnums) == len(texts) > 20
    assert any(item.folded[1] is not None for item in texts._items.values())  # some fold … to ...
    assert texts.nbytes == sum(item.nbytes for item in texts._items.values()) > 2 * sum(map(len, texts_of(texts)))


def texts_of(texts: StoredTexts) -> list[str]:
    return [item.text for item in texts._items.values()]


def test_the_least_recently_used_go_first_past_the_bound(engine):
    with engine.reading() as st:
        docnums = [d for d in st.reader.all_doc_ids() if (_stored(st, d).get("text") or "")][:6]
        sizes = [StoredText(_stored(st, d)).nbytes for d in docnums]
        texts = StoredTexts(st.searcher, st.columns, max_bytes=sizes[3] + sizes[4] + sizes[5])
        for d in docnums[:3]:
            texts.get(d)
        texts.get(docnums[0])  # now the most recent
        for d in docnums[3:]:
            texts.get(d)
        held = list(texts._items)
    assert texts.nbytes == sum(item.nbytes for item in texts._items.values()) <= texts.max_bytes
    assert held[-3:] == docnums[3:] and docnums[1] not in held and docnums[2] not in held


def test_a_reports_documents_are_read_once_and_the_latest_reports_kept(engine, monkeypatch):
    monkeypatch.setattr(storedtexts, "REPORTS_KEPT", 2)
    with engine.reading() as st:
        texts = StoredTexts(st.searcher, st.columns)
        first = texts.report(0)
        assert [_stored(st, d) for d in st.columns.report_docs[0]] == first
        assert texts.report(0) is first
        texts.report(1)
        texts.report(2)
        assert texts.report(0) is not first and texts.report(0) == first  # read again once pushed out
        assert 2 == len(texts._reports)


QUERIES = ["执法记录仪", "执法", "法治 公安", "行政复议 OR 信访", "同句(执法 监督)", "章节:问题", "公安局", "“放管服”"]


def test_pages_from_a_warm_cache_equal_a_cold_engines(seed_index):
    warm = Engine(seed_index)
    for q in QUERIES:
        warm.search(SearchRequest(q=q, limit=50))
    for q in QUERIES:  # other requests (not in the result cache) listing the same sections
        for request in (dict(q=q, limit=5), dict(q=q, sort="year"), dict(q=q, kind=["问题不足"])):
            cold = Engine(seed_index)
            assert cold.search(SearchRequest(**request)).to_dict() == warm.search(SearchRequest(**request)).to_dict()
            cold.close()
    with warm.reading() as st:
        assert len(st.texts) > 20
    warm.close()


def test_after_a_generation_swap_snippets_show_the_new_text(built):
    corpus, index_dir = built
    engine = Engine(index_dir)
    request = dict(q="执法记录仪", limit=50)
    before = engine.search(SearchRequest(**request)).to_dict()
    for seed in SEEDS:
        path = corpus / seed.name
        path.write_text(path.read_text(encoding="utf-8").replace("执法记录仪", "执法记录仪终端"), encoding="utf-8")
    assert build(corpus, index_dir, workers=1).changed
    engine.refresh()
    after = engine.search(SearchRequest(**request)).to_dict()
    fresh = Engine(index_dir)
    assert fresh.search(SearchRequest(**request)).to_dict() == after
    snippets = [x for h in after["hits"] for s in h["sections"] for x in s["snippets"]]
    old = [x for h in before["hits"] for s in h["sections"] for x in s["snippets"]]
    assert old and all("终端" not in x for x in old) and snippets and all("<mark>执法记录仪</mark>终端" in x for x in snippets)
    fresh.close()
    engine.close()


def test_the_decoded_reports_kept_are_bounded_in_bytes(engine, monkeypatch):
    """Past ``REPORTS_BYTES`` (each report's estimate, ``report_bytes``) the least recently read go first."""
    from search.storedtexts import report_bytes

    with engine.reading() as st:
        sizes = [report_bytes(StoredTexts(st.searcher, st.columns).report(r)) for r in range(3)]
        monkeypatch.setattr(storedtexts, "REPORTS_BYTES", sizes[1] + sizes[2])
        texts = StoredTexts(st.searcher, st.columns)
        first = texts.report(0)
        texts.report(1)
        texts.report(2)
        assert texts.report(0) is not first and texts.report(0) == first  # pushed out by bytes, not by count
        assert texts._reports.nbytes <= sizes[1] + sizes[2] or len(texts._reports) == 1
    assert all(size > 2 * 1_000 for size in sizes)
