"""Web UI stage: every error → one status code and one message, in one place.

A bad parameter or query is the user's to fix (400); an unknown report or page is 404; a missing or outdated
index is the operator's (503, with the command to run). JSON paths answer ``{"error": message}``, all others an
HTML page. Nothing escapes as a bare 500 traceback.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.engine import QueryError
from search.schema import IndexFormatError, IndexMissingError

from .params import ParamError

HTTP_MESSAGES = {
    400: "请求有误",
    404: "找不到该页面",
    405: "不支持该请求方法",
    500: "服务器内部错误，请稍后再试",
}


def _respond(status: int, message: str):
    if request.path.endswith(".json"):
        return jsonify({"error": message}), status
    return render_template("error.html", status=status, message=message), status


def _bad_request(error: ValueError):
    return _respond(400, str(error))


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
    app.register_error_handler(QueryError, _bad_request)
    app.register_error_handler(IndexMissingError, _index_missing)
    app.register_error_handler(IndexFormatError, _index_outdated)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
