"""webui.urls: every link of the UI is built from the current query string (datasette-style helpers)."""

import pytest
from werkzeug.datastructures import MultiDict

from webui import urls

ARGS = [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("page", "3")]


@pytest.mark.parametrize("args, expected", [
    ([], "/search"),
    ([("q", "")], "/search"),
    ([("q", "a b")], "/search?q=a+b"),
    ([("q", "&=?#")], "/search?q=%26%3D%3F%23"),
    ([("city", "广州")], "/search?city=%E5%B9%BF%E5%B7%9E"),
    ([("city", "a"), ("city", "b")], "/search?city=a&city=b"),
])
def test_path_with_args(args, expected):
    assert expected == urls.path_with_args("/search", args)


def test_args_of_keeps_repeated_parameters_in_order():
    assert ARGS == urls.args_of(MultiDict(ARGS))


@pytest.mark.parametrize("added, expected", [
    ([("city", "杭州")], [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("city", "杭州")]),
    ([("city", "广州")], [("q", "执法 记录仪"), ("city", "深圳"), ("city", "广州")]),
    ([("province", "广东")], [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("province", "广东")]),
])
def test_with_added_drops_the_page(added, expected):
    assert urls.path_with_args("/s", expected) == urls.with_added("/s", ARGS, added)


@pytest.mark.parametrize("name, value, expected", [
    ("city", "广州", [("q", "执法 记录仪"), ("city", "深圳")]),
    ("city", None, [("q", "执法 记录仪")]),
    ("city", "杭州", [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳")]),
    ("page", None, [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳")]),
])
def test_with_removed(name, value, expected):
    assert urls.path_with_args("/s", expected) == urls.with_removed("/s", ARGS, name, value)


@pytest.mark.parametrize("name, value, also, expected", [
    ("page", "4", (), [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("page", "4")]),
    ("mode", "words", (), [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"), ("mode", "words")]),
    ("year", "2021", ("year_from", "year_to"), [("q", "执法 记录仪"), ("city", "广州"), ("city", "深圳"),
                                                 ("year", "2021")]),
    ("city", None, (), [("q", "执法 记录仪")]),
])
def test_with_replaced(name, value, also, expected):
    assert urls.path_with_args("/s", expected) == urls.with_replaced("/s", ARGS, name, value, *also)
