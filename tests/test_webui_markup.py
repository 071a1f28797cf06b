"""webui.markup: the one place where text becomes unescaped HTML; only <mark> survives."""

import pytest

from webui.markup import highlighted, snippet_html, snippet_text


@pytest.mark.parametrize("snippet, expected", [
    ("推进<mark>执法</mark>规范化", "推进<mark>执法</mark>规范化"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;<mark>警</mark>", "&lt;script&gt;alert(1)&lt;/script&gt;<mark>警</mark>"),
    # a raw tag that should never reach us is neutralized, not trusted
    ("<script>alert(1)</script><mark>警</mark>", "&lt;script&gt;alert(1)&lt;/script&gt;<mark>警</mark>"),
    ('<mark onclick="x">警</mark>', "&lt;mark onclick=&#34;x&#34;&gt;警"),  # unpaired </mark> dropped
    ("a &amp; b &quot;c&quot;", "a &amp; b &#34;c&#34;"),
    ("<mark>未闭合", "<mark>未闭合</mark>"),
    ("</mark>多余<mark><mark>嵌套</mark>", "多余<mark>嵌套</mark>"),
])
def test_snippet_html_keeps_only_mark(snippet, expected):
    assert expected == str(snippet_html(snippet))


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
