"""search.titles: an untitled report is named one way on every face: the CLI, the home page, the results,
the report page, /compare, /related and the compliance page."""

import html
import json

import pytest
from click.testing import CliRunner

from search.cli import main as search_cli
from search.titles import display_title

UNTITLED = {"001_609cb2b49e064600.txt": "杭州市公安局萧山区分局 2023年（无标题）",
            "003_00e392f12badf5f7.txt": "江门市公安局 2020年（无标题）"}


@pytest.mark.parametrize("report, expected", [
    ({"file": "a.txt", "title": "某局2021年法治政府建设年度报告", "agency": "某局", "year": 2021},
     "某局2021年法治政府建设年度报告"),
    ({"file": "a.txt", "title": None, "agency": "某局", "year": 2021}, "某局 2021年（无标题）"),
    ({"file": "a.txt", "title": "", "agency": "某局", "year": None}, "某局（无标题）"),
    ({"file": "dir/a.txt", "title": None, "agency": None, "year": None}, "dir/a.txt"),
])
def test_display_title(report, expected):
    assert expected == display_title(report)


def test_the_seeds_without_a_title(engine):
    assert UNTITLED == {f: display_title(engine.report(f)) for f in UNTITLED}


@pytest.mark.parametrize("file, title", UNTITLED.items())
def test_every_face_names_an_untitled_report_the_same(client, seed_index, file, title):
    cli = CliRunner().invoke(search_cli, ["公安", "--index-dir", str(seed_index), "--limit", "10"])
    hits = json.loads(CliRunner().invoke(search_cli, ["公安", "--index-dir", str(seed_index), "--json"]).output)["hits"]
    number = [h["file"] for h in hits].index(file) + 1
    other = next(h["file"] for h in hits if h["file"] != file)
    pages = {
        "home": client.get("/"),
        "search": client.get("/search?q=公安"),
        "report": client.get(f"/report/{file}"),
        "compare": client.get(f"/compare?ids={file}&ids={other}&kind=举措成效"),
        "compliance": client.get("/compliance"),
        "related": client.get(f"/related?id={file}&section=0"),
    }
    shown = {name: html.unescape(page.get_data(as_text=True)).count(title) > 0 for name, page in pages.items()}
    assert f"{number}. {title}" in cli.output.splitlines()
    assert dict.fromkeys(pages, True) == shown
