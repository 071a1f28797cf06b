"""search.engine: requests end to end (paging, bad parameters, the words-mode suggestion, the report page),
and the index generations it opens (reopening, segments, deletions, concurrency, the time limit).

Each stage has its own tests: test_plan, test_matching, test_facets, test_ranking, test_hits, test_columns."""

import pytest

from search.engine import Engine, QueryError, SearchRequest
from search_helpers import build_index, containing, found, make_report


def test_paging_partitions_the_list(engine):
    whole = [h["file"] for h in engine.search(SearchRequest(q="公安", limit=100)).hits]
    pages = [h["file"] for p in (1, 2, 3) for h in engine.search(SearchRequest(q="公安", limit=2, page=p)).hits]
    assert whole == pages


@pytest.mark.parametrize("request_kw, message", [
    ({"mode": "fuzzy"}, "mode must be one of exact, words, not 'fuzzy'"),
    ({"sort": "date"}, "sort must be one of relevance, year, not 'date'"),
    ({"page": 0}, "page must be a whole number ≥ 1, not 0"),
    ({"limit": 0}, "limit must be between 1 and 10000, not 0"),
    ({"year_from": 2022, "year_to": 2020}, "year range 2022-2020 is empty: the first year is later"),
])
def test_bad_parameters_raise_query_error(engine, request_kw, message):
    with pytest.raises(QueryError) as e:
        engine.search(SearchRequest(q="公安", **request_kw))
    assert message == str(e.value)


def test_words_mode_and_suggestion(engine, grep):
    # jieba words of the query in any order: 记录仪 … 执法 anywhere in the same report
    q = "记录仪执法"
    exact, result = found(engine, q)
    words, _ = found(engine, q, mode="words")
    assert containing(grep, q) == exact
    assert {r for r in grep if "记录仪" in grep[r] and "执法" in grep[r]} == words
    if len(words) > len(exact):
        assert {"mode": "words", "q": q, "total": len(words)} == result.suggestion


def test_report_page(engine, grep):
    rid = sorted(grep)[0]
    report = engine.report(rid)
    assert rid == report["file"]
    for s in report["sections"]:
        assert report["text"][s["start"]:s["end"]] == s["text"]
        assert s["text"].startswith(s["heading"])
    assert engine.report("no/such.txt") is None


# ---------------------------------------------------------------- hand-made indexes


def test_engine_reopens_when_current_changes(tmp_path):
    build_index(tmp_path / "gen-000001", [make_report("a.txt", "一、情况\n执法\n")])
    build_index(tmp_path / "gen-000002", [make_report("a.txt", "一、情况\n执法\n"),
                                          make_report("b.txt", "一、情况\n执法\n")])
    (tmp_path / "CURRENT").write_text("gen-000001")
    engine = Engine(tmp_path)
    assert 1 == engine.search(SearchRequest(q="执法")).total
    (tmp_path / "CURRENT").write_text("gen-000002")
    engine.refresh()
    assert 2 == engine.search(SearchRequest(q="执法")).total


def test_several_segments_and_deleted_reports(tmp_path):
    """Posting blocks are read directly: docnum offsets of segments and deletions must be honoured."""
    from indexer.build.gramfiles import backfill
    from search.schema import open_index, section_documents, whoosh_documents

    reports = [make_report(f"r{i}.txt", f"一、情况\n第{i}份报告，执法记录仪{'使用' * i}。\n（一）细节\n局长信箱{i}\n")
               for i in range(6)]
    build_index(tmp_path, reports[:3])
    assert Engine(tmp_path)._state.all_live  # no deletion yet: grams' addresses are taken as they are
    ix = open_index(tmp_path)
    w = ix.writer()
    for r in reports[3:]:
        for doc in whoosh_documents(section_documents(r)):
            w.add_document(**doc)
    w.commit(merge=False)
    backfill(tmp_path)
    w = ix.writer()
    w.delete_by_term("report_id", "r1.txt")
    w.delete_by_term("report_id", "r4.txt")
    w.commit(merge=False)
    engine = Engine(tmp_path)
    assert 2 == len(engine._state.reader.leaf_readers())
    expected = {"r0.txt", "r2.txt", "r3.txt", "r5.txt"}
    assert expected == found(engine, "执法记录仪")[0]
    assert expected == found(engine, "局长信箱")[0]
    assert {"r3.txt"} == found(engine, "局长信箱3")[0]
    assert {"r2.txt", "r3.txt", "r5.txt"} == found(engine, "使用使用")[0]
    assert set() == found(engine, "第1份")[0]
    assert not engine._state.all_live  # one gram's addresses are checked for deleted reports
    assert expected == found(engine, "信箱")[0] == found(engine, "箱")[0]
    assert {"r4.txt", "r1.txt"}.isdisjoint(hit["file"] for hit in engine.search(SearchRequest(q="使用", limit=50)).hits)


def test_concurrent_searches_while_the_generation_changes(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    build_index(tmp_path / "gen-000001", [make_report("a.txt", "一、情况\n执法记录仪\n")])
    build_index(tmp_path / "gen-000002", [make_report(f"{c}.txt", "一、情况\n执法记录仪\n") for c in "ab"])
    (tmp_path / "CURRENT").write_text("gen-000001")
    engine = Engine(tmp_path)

    def search(i):
        if i % 10 == 5:
            (tmp_path / "CURRENT").write_text(f"gen-00000{1 + (i // 10) % 2}")
            engine.refresh()
        return engine.search(SearchRequest(q="执法记录仪")).total

    with ThreadPoolExecutor(8) as pool:
        totals = set(pool.map(search, range(60)))
    assert totals <= {1, 2} and totals


def test_a_search_past_the_time_limit_is_stopped_with_a_message(seed_index):
    from search.engine import QueryTimeout

    slow = Engine(seed_index, time_limit=0.0)
    with pytest.raises(QueryTimeout, match="查询过于复杂"):
        slow.search(SearchRequest(q="法治"))
    slow.time_limit = 10.0  # the state is usable afterwards: the deadline does not linger
    assert 5 == slow.search(SearchRequest(q="法治")).total


def test_a_merged_segment_gets_its_gram_file_from_stored_text(tmp_path):
    """Merging segments (Whoosh's optimize/merge policy) makes a segment without a gram file: the engine
    refuses it with a rebuild hint, and ``backfill`` writes it from the stored text and columns."""
    from indexer.build.gramfiles import backfill
    from search.schema import IndexFormatError, open_index, section_documents, whoosh_documents

    reports = [make_report(f"r{i}.txt", f"一、情况\n第{i}份报告，执法记录仪{'使用' * i}。\n（一）细节\n局长信箱{i}\n",
                           kinds={"一、情况": ["举措成效"]}, title=f"报告{i}")
               for i in range(6)]
    build_index(tmp_path, reports[:3])
    assert Engine(tmp_path)._state.all_live  # no deletion yet: grams' addresses are taken as they are
    ix = open_index(tmp_path)
    with ix.writer() as w:
        for r in reports[3:]:
            for doc in whoosh_documents(section_documents(r)):
                w.add_document(**doc)
    backfill(tmp_path)
    before = Engine(tmp_path)
    queries = ["执法记录仪", "局长信箱3", "使用使用", "标题:报告4", "章节:情况", "同句(报告 使用)"]
    expected = [before.search(SearchRequest(q=q, kind=["举措成效"])).to_dict() for q in queries]
    before.close()
    open_index(tmp_path).optimize()
    with pytest.raises(IndexFormatError, match="rebuild"):
        Engine(tmp_path)
    assert 1 == backfill(tmp_path)
    after = Engine(tmp_path)
    assert 1 == len(after._state.reader.leaf_readers())
    for q, page in zip(queries, expected):
        assert page["total"] > 0, q
        assert page == after.search(SearchRequest(q=q, kind=["举措成效"])).to_dict(), q
    after.close()


def test_an_engine_collects_young_objects_less_often_and_keeps_a_higher_setting(seed_index):
    """A process with an engine runs the collector's young pass every ``GC_YOUNG`` allocations at least (a page's
    facet values are thousands of dicts); a higher threshold set before, or a disabled collector, is left alone."""
    import gc

    from search.engine import GC_YOUNG

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        Engine(seed_index).close()
        assert gc.get_threshold() == (GC_YOUNG, 10, 10)
        gc.set_threshold(GC_YOUNG * 2, 5, 5)
        Engine(seed_index).close()
        assert gc.get_threshold() == (GC_YOUNG * 2, 5, 5)
        gc.set_threshold(0, 10, 10)
        Engine(seed_index).close()
        assert gc.get_threshold() == (0, 10, 10)
    finally:
        gc.set_threshold(*before)
