"""The compliance page (webui.pages.compliance) and its JSON and Excel twins, on the seed index."""

from __future__ import annotations

import html
import re

from office_helpers import converts_to_pdf, sheet, sheet_rows
from search.compliance import PARTS, compliance
from search.engine import SearchRequest
from test_webui_analysis import get_json, get_page

REPORT_KEYS = {"file", "title", "agency", "year", "publish_date", "deadline", "on_time", "parts", "missing"}


def test_the_json_twin_has_the_issue_s_shape_and_the_library_s_values(client, engine):
    data = get_json(client, "/compliance.json?province=广东")
    expected = compliance(engine, SearchRequest(province=["广东"])).to_dict()
    assert expected == data
    assert {"filters", "summary", "reports"} <= set(data)
    assert {"reports", "complete", "on_time", "late", "date_unknown", "missing"} == set(data["summary"])
    assert set(PARTS) == set(data["summary"]["missing"])
    assert all(REPORT_KEYS <= set(r) and set(PARTS) == set(r["parts"]) for r in data["reports"])
    assert ["广东"] == data["filters"]["province"]


def test_the_page_marks_each_gap_and_counts_facets_like_search(client, truth):
    page = get_page(client, "/compliance")
    data = get_json(client, "/compliance.json")
    body = re.search(r'<table class="numbers compliance".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert len(truth) == len(rows)
    assert sum(len(r["missing"]) for r in data["reports"]) == sum(row.count('<td class="bad">缺</td>') for row in rows)
    assert sum(1 for r in data["reports"] if r["on_time"] is None) == page.count('<td class="unknown">日期不详</td>')
    search = get_json(client, "/search.json")
    counts = {html.unescape(v): int(n) for v, n in re.findall(
        r'data-facet="city" data-value="([^"]+)".*?<span class="count">(\d+)</span>', page, re.S)}
    assert {v["value"]: v["count"] for v in search["facets"]["city"]} == counts
    assert re.search(r'href="/compliance\?city=', page)


def test_the_excel_twin_is_the_json_as_rows(client, tmp_path):
    response = client.get("/compliance.xlsx?sort=agency")
    data = get_json(client, "/compliance.json?sort=agency")
    assert ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 200) == (
        response.mimetype, response.status_code)
    assert "filename*=UTF-8''%E5%90%88%E8%A7%84%E6%A3%80%E6%9F%A5.xlsx" in response.headers["Content-Disposition"]
    rows = sheet_rows(response.data)
    status = {True: "按时", False: "逾期", None: "日期不详"}
    assert [["机关", "年份", "标题", "发布日期", "截止日期", "是否按时", *PARTS, "缺少部分", "省份", "城市", "文件"]] + [
        [r["agency"], r["year"], r["title"] or None, r["publish_date"], r["deadline"], status[r["on_time"]],
         *["有" if r["parts"][k] else "缺" for k in PARTS], "、".join(r["missing"]) or None, r["province"], r["city"],
         r["file"]] for r in data["reports"]] == rows
    ws = sheet(response.data)
    assert ("A2", True) == (ws.freeze_panes, ws["A1"].font.bold)
    assert all(ws.column_dimensions[c].width >= 6 for c in "ABCDEFGHIJ")
    assert converts_to_pdf(response.data, "compliance.xlsx", tmp_path).startswith(b"%PDF")


def test_bad_parameters_get_a_message(client):
    assert "error" in get_json(client, "/compliance.json?sort=oops", 400)
    assert "error" in get_json(client, "/compliance.json?colour=red", 400)
    assert "error" in get_json(client, "/compliance.json?page=9", 400)


def test_typed_filter_values_reach_the_compliance_table(client):
    typed = client.get("/compliance.json?province=广东省&city=汕头市").get_json()
    stored = client.get("/compliance.json?province=广东&city=汕头").get_json()
    assert (True, stored) == (len(stored["reports"]) > 0, typed)
