"""The facet page (webui.pages.facet): every value of one facet of a search, counted as the search counts them,
each linking to the search with that value added or removed; its JSON twin; bad arguments are 400."""

import html
import re
from urllib.parse import unquote_plus

import pytest

from search_helpers import build_index, make_report
from webui import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("facet-index")
    reports = [make_report(f"r{i:02d}.txt", f"一、执法检查\n第{i}份报告的执法记录仪。" + "执法。" * i + "\n",
                           agency=f"第{i:02d}市公安局", province="广东" if i % 3 else "湖南", city=f"城{i % 7:02d}",
                           year=2015 + i % 4) for i in range(1, 15)]
    build_index(index_dir, reports)
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def links(page: str, facet: str = "[^\"]+") -> list[tuple[str, str, str]]:
    """(value, count, toggle URL) of each value of ``facet`` the page lists, in order."""
    return [(html.unescape(v), n, unquote_plus(html.unescape(u))) for u, v, n in re.findall(
        rf'<a href="([^"]+)" data-facet="{facet}" data-value="([^"]+)".*?</a> <span class="count">(\d+)</span>', page)]


@pytest.mark.parametrize("query, facet", [
    ("q=执法", "city"), ("q=执法&city=城03", "city"), ("q=执法&province=湖南", "agency"), ("", "year"),
    ("q=执法&year=2016&year=2017", "year"), ("q=记录仪&kind=其他", "kind"),
])
def test_every_value_with_the_search_count_and_toggle_url(client, query, facet):
    searched = client.get(f"/search.json?{query}").get_json()["facets"][facet]
    data = client.get(f"/facet.json?facet={facet}&{query}").get_json()
    assert {"name": facet, "values": searched} == {k: data[k] for k in ("name", "values")}
    page = client.get(f"/facet?facet={facet}&{query}").get_data(as_text=True)
    listed = links(page)
    selected = [str(v["value"]) for v in searched if v["selected"]]
    assert sorted((str(v["value"]), str(v["count"])) for v in searched) == sorted((v, n) for v, n, _ in listed)
    assert selected == [v for v, _, _ in listed][:len(selected)]
    sidebar = {v: u for v, _, u in links(client.get(f"/search?{query}").get_data(as_text=True), facet)}
    assert sidebar and sidebar == {v: u for v, _, u in listed if v in sidebar}  # the sidebar's own toggles


def test_the_results_page_links_the_rest_of_a_long_facet_here(client, monkeypatch):
    from webui.pages import results

    monkeypatch.setattr(results, "FACET_TOP", 2)
    monkeypatch.setattr(results, "FACET_MORE", 1)
    fresh = create_app({"INDEX_DIR": client.application.config["INDEX_DIR"], "TESTING": True}).test_client()
    page = fresh.get("/search?q=执法&page=1").get_data(as_text=True)
    found = re.search(r'<section class="facet" data-facet="agency">.*?<p class="unlisted"><a href="([^"]+)">([^<]+)</a>',
                      page, re.S)
    assert ("/facet?facet=agency&q=执法", "另有 11 项（计数较少）未列出：查看全部 14 项") == (
        unquote_plus(html.unescape(found.group(1))), found.group(2))
    assert 14 == len(links(fresh.get(html.unescape(found.group(1))).get_data(as_text=True)))


@pytest.mark.parametrize("query, message", [
    ("", "参数 facet 须是一个分面"), ("facet=colour", "参数 facet 须是一个分面"),
    ("facet=city&facet=year", "参数 facet 须是一个分面"), ("facet=city&colour=red", "未知参数：colour"),
    ("facet=city&year=twenty", "year"),
])
def test_bad_arguments_are_400(client, query, message):
    response = client.get(f"/facet.json?{query}")
    assert 400 == response.status_code and message in response.get_json()["error"]
    assert 400 == client.get(f"/facet?{query}").status_code
