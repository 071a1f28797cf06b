"""Web UI stage: every error → one status code and one message, in one place.

A bad parameter or query is the user's to fix (400); an unknown report or page is 404; a missing or outdated
index is the operator's (503, with the command to run). JSON paths answer ``{"error": message}``, all others an
HTML page. Nothing escapes as a bare 500 traceback.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.engine import FilterError, QueryError
from search.schema import IndexFormatError, IndexMissingError

from . import urls
from .labels import FACET_LABELS, value_label
from .params import PageOutOfRange, ParamError

HTTP_MESSAGES = {
    400: "请求有误",
    404: "找不到该页面",
    405: "不支持该请求方法",
    500: "服务器内部错误，请稍后再试",
}


def _respond(status: int, message: str, links: list | None = None, joined: bool = True):
    """The error page (``links``: what to do instead); a JSON path answers ``{"error": message}``, the links'
    labels ``joined`` to the message (the close values) or left out (a page link means nothing there)."""
    if request.path.endswith(".json"):
        return jsonify({"error": message + ("、".join(link["label"] for link in links or []) if joined else "")}), status
    return render_template("error.html", status=status, message=message, links=links or []), status


def _bad_request(error: ValueError):
    return _respond(400, str(error))


def _page_out_of_range(error: PageOutOfRange):
    last = urls.with_replaced(request.path, urls.args_of(request.args), "page", str(error.last) if error.last > 1 else None)
    return _respond(400, str(error), [{"label": f"转到最后一页（第 {error.last} 页）", "url": last}], joined=False)


def _unknown_value(error: FilterError):
    """A filter value the index does not hold: the page again with each close value instead, as links."""
    name = FACET_LABELS.get(error.field, error.field)
    if error.ambiguous:
        message = f"{name}“{error.value}”对应多个值，请选择其一："
    elif error.every:
        message = f"索引中没有{name}“{error.value}”。可选的值："
    elif error.close:
        message = f"索引中没有{name}“{error.value}”。相近的值："
    else:
        message = f"索引中没有{name}“{error.value}”。"
    args = urls.args_of(request.args)
    links = [{"label": value_label(error.field, value),
              "url": urls.with_value_replaced(request.path, args, error.field, error.value, value)}
             for value in error.close]
    return _respond(400, message, links)


def _index_missing(error: IndexMissingError):
    return _respond(503, f"尚未建立索引，请先运行 reports-index build 建立索引。（{error}）")


def _index_outdated(error: IndexFormatError):
    return _respond(503, f"索引格式与本程序不符，请运行 reports-index build --rebuild 重建索引。（{error}）")


def _http(error: HTTPException):
    custom = error.description != type(error).description
    status = error.code or 500
    message = error.description if custom else HTTP_MESSAGES.get(status, error.name)
    return _respond(status, message)


def _unexpected(error: Exception):
    current_app.logger.exception("unhandled error on %s", request.path)
    return _respond(500, HTTP_MESSAGES[500])


def register(app: Flask) -> None:
    app.register_error_handler(ParamError, _bad_request)
    app.register_error_handler(FilterError, _unknown_value)
    app.register_error_handler(PageOutOfRange, _page_out_of_range)
    app.register_error_handler(QueryError, _bad_request)
    app.register_error_handler(IndexMissingError, _index_missing)
    app.register_error_handler(IndexFormatError, _index_outdated)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
