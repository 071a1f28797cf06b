"""webui.params: the query string → a validated SearchRequest; bad input → ParamError with a message."""

import pytest
from werkzeug.datastructures import MultiDict

from search.engine import SearchRequest
from webui.params import ParamError, report_query, search_request


@pytest.mark.parametrize("args, expected", [
    ([], SearchRequest()),
    ([("q", "  执法记录仪 ")], SearchRequest(q="执法记录仪")),
    ([("q", "执法"), ("mode", "words"), ("sort", "year")], SearchRequest(q="执法", mode="words", sort="year")),
    ([("city", "广州"), ("city", "深圳"), ("city", "广州"), ("city", "")], SearchRequest(city=["广州", "深圳"])),
    ([("kind", "问题不足"), ("level", "city"), ("agency", "广州市公安局")],
     SearchRequest(kind=["问题不足"], level=["city"], agency=["广州市公安局"])),
    ([("year", "2021")], SearchRequest(year_from=2021, year_to=2021)),
    ([("year", "2020-2022")], SearchRequest(year_from=2020, year_to=2022)),
    ([("year", "2020-")], SearchRequest(year_from=2020)),
    ([("year", "-2022")], SearchRequest(year_to=2022)),
    ([("year_from", "2019"), ("year_to", "")], SearchRequest(year_from=2019)),
    ([("year_from", "2019"), ("year_to", "2021")], SearchRequest(year_from=2019, year_to=2021)),
    ([("page", "3"), ("limit", "20")], SearchRequest(page=3, limit=20)),
    ([("limit", "10000")], SearchRequest(limit=10000)),
    ([("mode", "")], SearchRequest()),
])
def test_good_parameters(args, expected):
    assert expected == search_request(MultiDict(args))


def test_export_takes_every_result_from_page_one():
    assert SearchRequest(q="执法", page=1, limit=10000) == search_request(
        MultiDict([("q", "执法"), ("page", "4"), ("limit", "20")]), limit=10000)


@pytest.mark.parametrize("args, message", [
    ([("mode", "xyz")], "参数 mode 只能是 exact 或 words，收到“xyz”"),
    ([("sort", "date")], "参数 sort 只能是 relevance 或 year，收到“date”"),
    ([("page", "1000000000")], "参数 page 应在 1 到 10000 之间，收到 1000000000"),
    ([("page", "0")], "参数 page 应在 1 到 10000 之间，收到 0"),
    ([("page", "-1")], "参数 page 应为整数，收到“-1”"),
    ([("page", "２")], "参数 page 应为整数，收到“２”"),
    ([("limit", "10001")], "参数 limit 应在 1 到 10000 之间，收到 10001"),
    ([("page", "1"), ("page", "2")], "参数 page 只能出现一次"),
    ([("year", "abc")], "参数 year 应为四位年份（如 2021），收到“abc”"),
    ([("year", "21")], "参数 year 应为四位年份（如 2021），收到“21”"),
    ([("year", "2022-2020")], "年份范围有误：起始年份 2022 晚于结束年份 2020"),
    ([("year", "2021"), ("year_from", "2020")], "参数 year 不能与 year_from / year_to 同时使用"),
    ([("year_to", "9999")], "参数 year_to 应为四位年份（如 2021），收到“9999”"),
    ([("q", "警" * 10000)], "查询过长（10000 个字符），最多 500 个字符"),
    ([("q", "执法\x00")], "查询中含有控制字符"),
    ([("city", "广" * 101)], "参数 city 的值无效"),
    ([("colour", "red")], "未知参数：colour。可用参数：agency、city、county、kind、level、limit、mode、page、"
                          "province、q、sector、sort、year、year_from、year_to"),
])
def test_bad_parameters(args, message):
    with pytest.raises(ParamError) as error:
        search_request(MultiDict(args))
    assert message == str(error.value)


@pytest.mark.parametrize("args, expected", [
    ([], ("", "exact")),
    ([("q", "执法"), ("mode", "words")], ("执法", "words")),
])
def test_report_query(args, expected):
    assert expected == report_query(MultiDict(args))


def test_report_query_rejects_search_parameters():
    with pytest.raises(ParamError) as error:
        report_query(MultiDict([("city", "广州")]))
    assert "未知参数：city。可用参数：copies、min_chars、mode、q、quotes、source" == str(error.value)
