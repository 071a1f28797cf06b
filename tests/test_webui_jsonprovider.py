"""webui.jsonprovider: the JSON twins as orjson writes them are the bytes Flask's own encoder writes."""

import datetime
import json
import uuid
from dataclasses import dataclass

import pytest
from markupsafe import Markup

from search.snippets import Html

PAGES = ["/search.json?q=法治", "/search.json?q=执法+记录仪&province=广东", "/search.json?q=问题&kind=问题不足&limit=50",
         "/search.json?q=zzzz不存在", "/search.json?q=法治&sort=year&page=2", "/report/000_27c9d69931be37ee.txt.json",
         "/compare.json?q=执法", "/trend.json?q=法治", "/search.json?q=%22"]


def flask_bytes(obj) -> bytes:
    """What Flask's DefaultJSONProvider writes for the app's settings (UTF-8, keys in order, compact)."""
    from flask.json.provider import _default

    return (json.dumps(obj, default=_default, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
            + "\n").encode("utf-8")


@pytest.mark.parametrize("url", PAGES)
def test_a_json_twin_is_the_bytes_flasks_encoder_writes(client, url):
    response = client.get(url)
    assert response.mimetype == "application/json"
    assert response.get_data() == flask_bytes(json.loads(response.get_data()))


@dataclass
class Point:
    x: int
    label: str


def test_flasks_types_are_written_as_flask_writes_them(app):
    value = {"date": datetime.date(2024, 3, 1), "at": datetime.datetime(2024, 3, 1, 8, 30),
             "id": uuid.UUID(int=7), "point": Point(1, "甲"), "markup": Markup("<b>法治</b>"),
             "snippet": Html("执法<mark>记录仪</mark>"), 3: "int key", "list": (1, 2.5, None)}
    with app.app_context():
        assert app.json.response(value).get_data() == flask_bytes(value)
        assert app.json.dumps(value) == flask_bytes(value).decode("utf-8")[:-1]
        assert app.json.dumps([float("nan")]) == "[null]"  # valid JSON, where json.dumps writes NaN


def test_escaping_or_sorting_falls_back_to_flasks_encoder(app):
    with app.app_context():
        app.json.sort_keys = True
        try:
            assert app.json.dumps({"b": 1, "a": "法"}) == '{"a": "法", "b": 1}'
        finally:
            app.json.sort_keys = False
