"""The copies pages (webui.pages.overlap) and the report page's copies view, over a corpus of known copies."""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import unquote

import pytest

from office_helpers import sheet_rows
from search.engine import Engine, SearchRequest
from search.overlap import Options, overlap, pairs
from search_helpers import copies_corpus
from test_webui_analysis import get_json, get_page
from webui import create_app


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    found = copies_corpus(tmp_path_factory.mktemp("copies"))
    engine = Engine(found["index"])
    app = create_app({"INDEX_DIR": str(found["index"]), "TESTING": True})
    yield {"engine": engine, "client": app.test_client(), **found}
    engine.close()


def test_one_report_json_is_the_library_s_overlap(copies):
    client, engine = copies["client"], copies["engine"]
    assert overlap(engine, "c.txt").to_dict() == get_json(client, "/overlap.json?id=c.txt")
    assert overlap(engine, "q1.txt", Options(min_chars=35, exclude_quotes=True)).to_dict() == get_json(
        client, "/overlap.json?id=q1.txt&min_chars=35&quotes=0")
    data = get_json(client, "/overlap.json?id=c.txt")
    assert {"report", "chars", "shared_chars", "original_share", "sources"} <= set(data)
    assert all({"file", "agency", "year", "shared_chars", "share", "passages"} <= set(s) for s in data["sources"])
    assert all({"start", "end", "other_start", "other_end", "text"} == set(p)
               for s in data["sources"] for p in s["passages"])


def test_the_collection_json_and_its_csv_and_excel_twins(copies):
    client, engine = copies["client"], copies["engine"]
    data = get_json(client, "/overlap.json")
    assert pairs(engine, SearchRequest()).to_dict() == data
    expected = [[p["a"]["file"], p["a"]["agency"], p["a"]["year"], p["b"]["file"], p["b"]["agency"], p["b"]["year"],
                 p["shared_chars"], p["share"], p["a"]["share"], p["b"]["share"], p["passages"]] for p in data["pairs"]]
    header = ["报告甲", "机关甲", "年份甲", "报告乙", "机关乙", "年份乙", "相同字数", "相同比例", "甲中占比", "乙中占比", "相同片段数"]
    assert [header] + expected == sheet_rows(client.get("/overlap.xlsx").data)
    rows = list(csv.reader(io.StringIO(client.get("/overlap.csv").data.decode("utf-8-sig"), newline="")))
    assert [header] + [["" if v is None else str(v) for v in row] for row in expected] == rows


def test_each_marked_copy_links_to_its_other_occurrence_and_back(copies):
    client = copies["client"]
    data = get_json(client, "/overlap.json?id=c.txt")
    page = get_page(client, "/report/c.txt?copies=1")
    marks = re.findall(r'<a class="copy"(?: id="(c-\d+)")? href="([^"]+)" title="[^"]*">(.*?)</a>', page, re.S)
    assert {f"c-{p['start']}" for s in data["sources"] for p in s["passages"]} == {m[0] for m in marks if m[0]}
    shown = "".join(html.unescape(m[2]) for m in marks)
    in_order = sorted((p["start"], p["text"]) for s in data["sources"] for p in s["passages"])
    assert "".join(text for _, text in in_order).replace("\n", "") == shown
    for source in data["sources"]:
        for p in source["passages"]:
            href = next(html.unescape(h) for i, h, _ in marks if i == f"c-{p['start']}")
            assert unquote(href) == f"/report/{source['file']}?copies=1&source=c.txt#c-{p['other_start']}"
            there = get_page(client, href.split("#")[0])
            target = re.search(rf'<a class="copy" id="c-{p["other_start"]}" href="([^"]+)"', there)
            assert f"#c-{p['start']}" == html.unescape(target.group(1)).split("/report/c.txt?copies=1&source="
                                                                                  f"{source['file']}")[1]


def test_the_copies_view_is_in_the_report_json_and_off_by_default(copies):
    client = copies["client"]
    assert "copies" not in get_json(client, "/report.json?id=c.txt")
    assert get_json(client, "/overlap.json?id=c.txt") == get_json(client, "/report.json?id=c.txt&copies=1")["copies"]
    assert 'class="copy"' not in get_page(client, "/report/c.txt")
    assert "error" in get_json(client, "/report.json?id=c.txt&source=a.txt", 400)


def test_pages_render_and_bad_input_gets_a_message(copies):
    client = copies["client"]
    assert "没有发现与其他报告相同的片段" in get_page(client, "/overlap?id=n.txt")
    assert "c.txt" in get_page(client, "/overlap")
    assert "error" in get_json(client, "/overlap.json?id=nope.txt", 404)
    assert "error" in get_json(client, "/overlap.json?min_chars=5", 400)
    assert "error" in get_json(client, "/overlap.json?id=c.txt&city=广州", 400)
    assert "error" in get_json(client, "/overlap.json?quotes=maybe", 400)



def test_typed_filter_values_reach_the_collection_pairs(client):
    typed = client.get("/overlap.json?province=广东省").get_json()
    stored = client.get("/overlap.json?province=广东").get_json()
    assert (True, stored) == (stored["reports"] > 0, typed)
