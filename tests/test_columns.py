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
