"""webui.markup and the snippets of search.snippets: text becomes HTML escaped once; only <mark> is markup."""

import re

import pytest
from jinja2 import Environment

from search.snippets import match_spans, snippets
from webui.markup import highlighted, snippet_text


HOSTILE = [
    ("推进执法规范化。", "推进<mark>执法</mark>规范化。"),
    ("<script>alert(1)</script>执法", "&lt;script&gt;alert(1)&lt;/script&gt;<mark>执法</mark>"),
    ('<mark onclick="x">执法</mark>', "&lt;mark onclick=&quot;x&quot;&gt;<mark>执法</mark>&lt;/mark&gt;"),
    ("a & b \"c\" '执法'", "a &amp; b &quot;c&quot; &#x27;<mark>执法</mark>&#x27;"),
    ("<mark>执法", "&lt;mark&gt;<mark>执法</mark>"),
    ("</mark>多余<mark><mark>执法</mark>", "&lt;/mark&gt;多余&lt;mark&gt;&lt;mark&gt;<mark>执法</mark>&lt;/mark&gt;"),
]


@pytest.mark.parametrize("text, expected", HOSTILE)
def test_a_snippet_is_escaped_once_and_printed_as_it_is(text, expected):
    """Report text in a snippet is escaped by search.snippets and marked safe there: a template prints it
    unchanged (escaped once), and only our own <mark> is markup."""
    [snippet] = snippets(text, match_spans(text, ["执法"]))
    page = Environment(autoescape=True).from_string("{{ s }}")
    assert (expected, expected) == (snippet, page.render(s=snippet))


def test_a_plain_string_in_place_of_a_snippet_is_escaped_whole():
    page = Environment(autoescape=True).from_string("{{ s }}")
    assert "&lt;script&gt;x&lt;/script&gt;&lt;mark&gt;警&lt;/mark&gt;" == page.render(s="<script>x</script><mark>警</mark>")


def test_the_search_page_shows_the_snippets_of_the_json_twin(tmp_path):
    from search_helpers import build_index, make_report
    from webui import create_app

    text = "一、总体情况\n" + "\n".join(t for t, _ in HOSTILE) + "\n"
    build_index(tmp_path, [make_report("x.txt", text, title="测试报告")])
    client = create_app({"INDEX_DIR": str(tmp_path), "TESTING": True}).test_client()
    [hit] = client.get("/search.json?q=执法").get_json()["hits"]
    page = client.get("/search?q=执法").get_data(as_text=True)
    shown = re.findall(r'<p class="snippet">(.*?)(?:<button type="button" class="add-excerpt"[^>]*>摘录</button>)?</p>', page)
    assert [expected for _, expected in HOSTILE[:3]] == hit["sections"][0]["snippets"] == shown


@pytest.mark.parametrize("snippet, expected", [
    ("推进<mark>执法</mark>规范化", "推进执法规范化"),
    ("&lt;script&gt; a &amp; b", "<script> a & b"),
])
def test_snippet_text(snippet, expected):
    assert expected == snippet_text(snippet)


@pytest.mark.parametrize("text, spans, expected", [
    ("公安执法", [], "公安执法"),
    ("公安执法", [(2, 4, "m-1")], '公安<mark id="m-1">执法</mark>'),
    ("<b>执法</b>", [(3, 5, "m-2")], '&lt;b&gt;<mark id="m-2">执法</mark>&lt;/b&gt;'),
    ("a执法b执法", [(1, 3, "m-1"), (4, 6, "m-2")], 'a<mark id="m-1">执法</mark>b<mark id="m-2">执法</mark>'),
])
def test_highlighted_escapes_around_marks(text, spans, expected):
    assert expected == str(highlighted(text, spans))
