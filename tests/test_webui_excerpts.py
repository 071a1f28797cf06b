"""The excerpt basket (webui.pages.excerpts): URL state, its JSON, Word and Excel twins, on the seed index."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest

from office_helpers import converts_to_pdf, docx_paragraphs, sheet, sheet_rows
from test_webui_analysis import get_json, get_page


def paragraphs(text: str) -> list[str]:
    """The report page's paragraphs (#p-1, #p-2, …): the non-empty lines."""
    return [line for line in text.split("\n") if line.strip()]


def basket(*items: str, group: str = "") -> str:
    return "&".join([f"x={quote(x)}" for x in items] + ([f"group={group}"] if group else []))


@pytest.fixture(scope="module")
def picked(engine, truth):
    """Three paragraphs: a 问题不足 one of the first seed, a 举措成效 one of the second, a 举措成效 one of the first."""
    out = []
    for t, kind in ((truth[0], "问题不足"), (truth[1], "举措成效"), (truth[0], "举措成效")):
        report = engine.report(t["file"])
        section = next(s for s in report["sections"] if s["level"] == 1 and kind in s["kinds"])
        lines = paragraphs(report["text"])
        starts = [report["text"].index(line) for line in lines]  # the lines are long and unique enough
        n = next(i for i, at in enumerate(starts) if at > section["body_start"] and len(lines[i]) > 20) + 1
        out.append({"x": f"{t['file']}#p-{n}", "file": t["file"], "paragraph": n, "text": lines[n - 1].strip(),
                    "kind": kind, "agency": report["agency"], "year": report["year"], "title": report["title"]})
    return out


def test_the_basket_is_the_paragraphs_the_url_names(client, engine, picked):
    data = get_json(client, "/excerpts.json?" + basket(*(p["x"] for p in picked)))
    assert [(p["x"], p["file"], p["paragraph"], p["text"], p["agency"], p["year"], p["title"]) for p in picked] == [
        (e["x"], e["file"], e["paragraph"], e["text"], e["agency"], e["year"], e["title"]) for e in data["excerpts"]]
    assert all(p["kind"] in e["kinds"] for p, e in zip(picked, data["excerpts"]))
    assert [{"label": "举措成效", "items": [1, 2]}, {"label": "问题不足", "items": [0]}] == data["groups"]
    by_report = get_json(client, "/excerpts.json?" + basket(*(p["x"] for p in picked), group="report"))["groups"]
    assert [[0, 2], [1]] == [g["items"] for g in by_report]
    assert all(e["link"].endswith(f"/report/{e['file']}#p-{e['paragraph']}") for e in data["excerpts"])


def test_a_paragraph_that_is_not_there_is_listed_as_missing(client, picked):
    data = get_json(client, "/excerpts.json?" + basket(picked[0]["x"], "nope.txt#p-1", f"{picked[0]['file']}#p-99999"))
    assert ([picked[0]["x"]], ["nope.txt#p-1", f"{picked[0]['file']}#p-99999"]) == (
        [e["x"] for e in data["excerpts"]], [m["x"] for m in data["missing"]])
    assert "找不到 nope.txt#p-1" in get_page(client, "/excerpts?" + basket("nope.txt#p-1"))


@pytest.mark.parametrize("query", ["x=a.txt", "x=a.txt%23p-0", "x=a.txt%23p-x", "group=kinds", "colour=red"])
def test_bad_baskets_get_a_message(client, query):
    assert "error" in get_json(client, f"/excerpts.json?{query}", 400)


def test_the_page_lists_each_excerpt_with_a_remove_link(client, picked):
    query = basket(*(p["x"] for p in picked))
    page = get_page(client, "/excerpts?" + query)
    assert [p["text"] for p in picked[1:]] + [picked[0]["text"]] == re.findall(
        r'<div class="excerpt"><p>(.*?)</p>', page)
    removes = re.findall(r'<a href="([^"]+)" class="remove">', page)
    assert 3 == len(removes) and all(removes)
    assert f'href="/excerpts.docx?{query.replace("&", "&amp;")}"' in page


def test_the_word_file_has_each_excerpt_then_its_source(client, picked, tmp_path):
    query = basket(*(p["x"] for p in picked))
    data = get_json(client, "/excerpts.json?" + query)
    response = client.get("/excerpts.docx?" + query)
    assert ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", 200) == (
        response.mimetype, response.status_code)

    def source(e):
        parts = (e["agency"], f"{e['year']}年", f"《{e['title']}》" if e["title"] else None, " › ".join(e["section"]),
                 e["link"])
        return "——" + "，".join(p for p in parts if p)

    first, second, third = data["excerpts"]
    assert e_links_are_absolute(data)
    assert [("Title", "摘录"), ("Heading 1", "举措成效"), ("Normal", second["text"]), ("Normal", source(second)),
            ("Normal", third["text"]), ("Normal", source(third)), ("Heading 1", "问题不足"),
            ("Normal", first["text"]), ("Normal", source(first))] == docx_paragraphs(response.data)
    assert converts_to_pdf(response.data, "excerpts.docx", tmp_path).startswith(b"%PDF")


def e_links_are_absolute(data) -> bool:
    return all(e["link"].startswith("http://localhost/report/") for e in data["excerpts"])


def test_the_excel_file_has_a_row_per_excerpt(client, picked, tmp_path):
    query = basket(*(p["x"] for p in picked), group="report")
    data = get_json(client, "/excerpts.json?" + query)
    response = client.get("/excerpts.xlsx?" + query)
    rows = sheet_rows(response.data)
    assert ["分组", "摘录", "机关", "年份", "标题", "章节", "链接", "文件", "段落"] == rows[0]
    assert [[g["label"], e["text"], e["agency"], e["year"], e["title"] or None, " › ".join(e["section"]), e["link"], e["file"],
             e["paragraph"]] for g in data["groups"] for e in (data["excerpts"][i] for i in g["items"])] == rows[1:]
    assert "A2" == sheet(response.data).freeze_panes
    assert converts_to_pdf(response.data, "excerpts.xlsx", tmp_path).startswith(b"%PDF")


def test_report_paragraphs_and_result_snippets_carry_their_basket_values(client, truth, engine):
    report = engine.report(truth[0]["file"])
    page = get_page(client, f"/report/{truth[0]['file']}")
    assert [f"{truth[0]['file']}#p-{n}" for n in range(1, len(paragraphs(report["text"])) + 1)] == re.findall(
        r'class="add-excerpt" data-excerpt="([^"]+)"', page)
    results = get_page(client, "/search?q=执法记录仪")
    values = re.findall(r'class="snippet">(.*?)<button type="button" class="add-excerpt" data-excerpt="([^"]+)"', results)
    assert values
    for snippet, value in values:
        file, n = value.split("#p-")
        line = paragraphs(engine.report(file)["text"])[int(n) - 1]
        assert html.unescape(re.sub(r"<[^>]+>", "", snippet)).strip("…") in line
