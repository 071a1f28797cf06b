"""search.columns: the index's per-document columns read into arrays over reports."""

from search.engine import Engine, SearchRequest
from search_helpers import build_index, make_report


def test_missing_metadata_stays_missing(tmp_path):
    build_index(tmp_path, [make_report("a.txt", "一、情况\n执法\n", year=2021, province="广东"),
                           make_report("b.txt", "一、情况\n执法\n")])
    result = Engine(tmp_path).search(SearchRequest(q="执法", sort="year"))
    assert [("a.txt", 2021, "广东"), ("b.txt", None, None)] == [(h["file"], h["year"], h["province"])
                                                                for h in result.hits]
    assert [{"value": 2021, "count": 1, "selected": False}] == result.facets["year"]


def test_load_reads_each_report_its_documents_and_its_sections(tmp_path):
    from search import columns
    from search.schema import NO_KIND, open_index

    text = "一、成效\n执法。\n（一）细节\n信访。\n二、问题\n不足。\n"
    build_index(tmp_path, [make_report("a.txt", text, title="甲", year=2021, province="广东",
                                       kinds={"一、成效": ["举措成效"], "二、问题": ["问题不足"]}),
                           make_report("b.txt", "一、情况\n执法\n", agency="某局")])
    cols = columns.load(open_index(tmp_path).reader())
    none = dict.fromkeys(columns.META)
    assert [{**none, "file": "a.txt", "province": "广东", "year": 2021},
            {**none, "file": "b.txt", "agency": "某局"}] == cols.reports
    assert ({"a.txt": 0, "b.txt": 1}, [[0, 1, 2, 3], [4, 5]]) == (cols.by_id, cols.report_docs)
    assert ([0, 0, 0, 0, 1, 1], [-1, 0, 1, 2, -1, 0], [NO_KIND, 1, 1, 2, NO_KIND, NO_KIND]) == (
        cols.doc_report.tolist(), cols.doc_sec.tolist(), cols.doc_mask.tolist())
    assert ([0, 4], [NO_KIND | 1 | 2, NO_KIND]) == (cols.heads.tolist(), cols.report_mask.tolist())
    # slots: a's exact text is 甲, one slot for the line breaks around its empty agency, then its text
    sec = cols.sections
    assert [[2, 11, 21], [4]] == [list(s) for s in sec.starts]
    # each report's opening is an entry of its own (position 0, section index -1); lengths run to the next
    # entry, the last one's to the end of the exact text (its length: the weak column)
    assert [-1, 0, 2, 11, 21, 4 << 32, 4 << 32 | 4] == sec.addr.tolist()
    assert [-1, 0, 6, 16, 25, 4 << 32, 4 << 32 | 8] == sec.body.tolist()
    assert ([NO_KIND, NO_KIND, 1, 1, 2, NO_KIND, NO_KIND], [-1, 0, 0, 0, 0, 4, 4]) == (sec.mask.tolist(),
                                                                                     sec.doc.tolist())
    assert ([-1, -1, 0, 1, 2, -1, 0], [0, 2, 9, 10, 9, 4, 8]) == (sec.sec.tolist(), sec.length.tolist())


def test_facet_codes_index_the_sorted_values():
    from search.columns import META, facet_codes

    reports = [dict.fromkeys(META) | {"file": f, **meta} for f, meta in
               [("a", {"city": "深圳", "year": 2021}), ("b", {"city": "广州"}), ("c", {"city": "深圳", "year": 2020})]]
    codes, labels = facet_codes(reports)
    assert (["广州", "深圳"], [1, 0, 1]) == (labels["city"], codes["city"].tolist())
    assert ([2020, 2021], [1, -1, 0]) == (labels["year"], codes["year"].tolist())
    assert ([], [-1, -1, -1]) == (labels["agency"], codes["agency"].tolist())


def test_year_rank_is_newest_first_then_by_file():
    from search.columns import year_rank

    reports = [{"file": "b", "year": 2020}, {"file": "a", "year": None}, {"file": "c", "year": 2022},
               {"file": "a2", "year": 2020}]
    assert [2, 3, 0, 1] == year_rank(reports).tolist()
