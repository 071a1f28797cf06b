"""Web UI stage: the routes. Each view builds its page object, then renders it as HTML, JSON or CSV."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from . import export
from .backend import get_engine
from .pages import compare as compare_page
from .pages import explain as explain_page
from .pages import matrix as matrix_page
from .pages import overview as overview_page
from .pages import related as related_page
from .pages import report as report_page
from .pages import results as results_page
from .pages import trend as trend_page
from search.engine import MAX_LIMIT

from .params import check_names, report_query, search_request

bp = Blueprint("webui", __name__)

# 检索结果.csv for browsers that read RFC 5987 names, an ASCII name for the rest
CSV_DISPOSITION = ("attachment; filename=\"reports-search.csv\"; "
                   "filename*=UTF-8''%E6%A3%80%E7%B4%A2%E7%BB%93%E6%9E%9C.csv")
_ENCODED_SEPARATOR = re.compile(r"%(2f|5c|00)", re.IGNORECASE)


@bp.get("/")
def home():
    return render_template("index.html", page=overview_page.build(get_engine()))


@bp.get("/overview.json")
def home_json():
    check_names(request.args, frozenset())
    return jsonify(overview_page.build(get_engine())["overview"])


@bp.get("/search")
def search():
    return render_template("search.html", page=results_page.build(get_engine(), request.args))


@bp.get("/search.json")
def search_json():
    return jsonify(results_page.build(get_engine(), request.args)["result"])


@bp.get("/search.csv")
def search_csv():
    wanted = search_request(request.args, limit=MAX_LIMIT)
    result = get_engine().search(wanted).to_dict()
    body = export.to_csv(export.rows(result, wanted.q, wanted.mode))
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": CSV_DISPOSITION})


def _checked_id(report_id: str) -> str:
    """A report id as the index knows it: a relative path, never ``..``, absolute or with encoded separators."""
    raw = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI") or ""
    parts = report_id.split("/")
    if (not report_id or report_id.startswith("/") or "\\" in report_id or "\x00" in report_id
            or any(p in ("", ".", "..") for p in parts) or _ENCODED_SEPARATOR.search(raw.split("?")[0])):
        abort(404, description="找不到该报告")
    return report_id


@bp.get("/report/<path:report_id>")
def report(report_id: str):
    q, mode = report_query(request.args)
    page = report_page.build(get_engine(), _checked_id(report_id), q, mode)
    if page is None:
        abort(404, description=f"找不到该报告：{report_id}")
    return render_template("report.html", page=page)


@bp.get("/report.json")
def report_json():
    args = request.args
    check_names(args, frozenset({"id", "q", "mode"}))
    report_id = args.get("id", "")
    q, mode = report_query(_without(args, "id"))
    page = report_page.build(get_engine(), _checked_id(report_id), q, mode)
    if page is None:
        abort(404, description=f"找不到该报告：{report_id}")
    return jsonify({k: v for k, v in page.items() if k != "ui"})


def _without(args, name: str) -> MultiDict:
    return MultiDict([(k, v) for k, v in args.items(multi=True) if k != name])


# --- analysis pages: each one page object, rendered as HTML and as its JSON twin ---------------------------------

MATRIX_DISPOSITION = ("attachment; filename=\"reports-matrix.csv\"; "
                      "filename*=UTF-8''%E5%9C%B0%E5%8C%BA%E5%B9%B4%E4%BB%BD%E8%A1%A8.csv")


# Analysis pages: one data object from ``<module>.build``, shown as HTML at /NAME and as JSON at /NAME.json
# (its ``key`` entry). Endpoint names are the views' names: matrix, matrix_json, trend, trend_json, …
_TWINS = {
    "matrix": (matrix_page, "matrix"),
    "trend": (trend_page, "trend"),
    "compare": (compare_page, "comparison"),
    "explain": (explain_page, "explanation"),
    "related": (related_page, "related"),
}


def _register_twin(name, module, key):
    def html_view():
        return render_template(f"{name}.html", page=module.build(get_engine(), request.args))

    def json_view():
        return jsonify(module.build(get_engine(), request.args)[key])

    bp.add_url_rule(f"/{name}", name, html_view, methods=["GET"])
    bp.add_url_rule(f"/{name}.json", f"{name}_json", json_view, methods=["GET"])


for _name, (_module, _key) in _TWINS.items():
    _register_twin(_name, _module, _key)


@bp.get("/matrix.csv")
def matrix_csv():
    header, rows = matrix_page.csv_table(matrix_page.build(get_engine(), request.args)["matrix"])
    return Response(export.grid_csv(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": MATRIX_DISPOSITION})
