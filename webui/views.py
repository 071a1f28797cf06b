"""Web UI stage: the routes. Every page is registered by ``twins``, one line each at the end of this module
(grep a path such as ``"/matrix"`` to find it): its page object is built once per request by the page's
module (``webui.pages``) and rendered as HTML, or returned as its JSON twin (and CSV where it has one)."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from search.engine import MAX_LIMIT
from search.schema import VALUE_FACETS

from . import export, urls
from .backend import get_engine
from .pages import compare as compare_page
from .pages import compliance as compliance_page
from .pages import excerpts as excerpts_page
from .pages import explain as explain_page
from .pages import facet as facet_page
from .pages import matrix as matrix_page
from .pages import overlap as overlap_page
from .pages import overview as overview_page
from .pages import related as related_page
from .pages import report as report_page
from .pages import results as results_page
from .pages import trend as trend_page
from .params import MAX_VALUE_CHARS, REPORT_PARAMS, check_names, report_query, search_request

bp = Blueprint("webui", __name__)

# 检索结果.csv / 地区年份表.csv for browsers that read RFC 5987 names, an ASCII name for the rest
CSV_DISPOSITION = ("attachment; filename=\"reports-search.csv\"; "
                   "filename*=UTF-8''%E6%A3%80%E7%B4%A2%E7%BB%93%E6%9E%9C.csv")
MATRIX_DISPOSITION = ("attachment; filename=\"reports-matrix.csv\"; "
                      "filename*=UTF-8''%E5%9C%B0%E5%8C%BA%E5%B9%B4%E4%BB%BD%E8%A1%A8.csv")
OVERLAP_DISPOSITION = ("attachment; filename=\"reports-overlap.csv\"; "
                       "filename*=UTF-8''%E7%9B%B8%E5%90%8C%E7%89%87%E6%AE%B5.csv")
_ENCODED_SEPARATOR = re.compile(r"%(2f|5c|00)", re.IGNORECASE)


def twins(endpoint: str, rule: str, json_rule: str, template: str, build, key: str | None = None,
          csv: tuple | None = None, files: tuple = (), memo: bool = False) -> None:
    """Register a page: its HTML at ``rule`` (``template`` rendering the page object) and its JSON twin at
    ``json_rule`` (the page object's ``key`` entry; without a key, all but its ``ui``); with ``csv`` =
    ``(rule, table, disposition)`` also a CSV twin (``table(args)``: the file's bytes). Endpoints: ``endpoint``,
    ``endpoint_json``, ``endpoint_csv``. ``build(args, twin, **rule_args)`` makes the page object from the
    query string (``twin``: for the JSON twin). ``files``: more downloads, each ``(rule, suffix, make,
    mimetype, ascii_name, name)``: ``make(args)`` gives the bytes, served at endpoint ``endpoint_<suffix>`` as
    ``name`` (``ascii_name`` for browsers without RFC 5987). ``memo``: the page depends on its URL and the
    index only, so the HTML and the JSON made for a URL are kept with the generation (``Engine.memo``) and a
    repeated request is answered without building or rendering again."""

    def html_view(**rule_args):
        canonical = _canonical_url()
        if canonical:
            return redirect(canonical)
        if memo:  # kept as UTF-8 (a page is mostly ASCII: half the memory of its str)
            return Response(get_engine().memo(("html", request.endpoint, request.full_path), lambda: render_template(
                template, page=build(request.args, False, **rule_args)).encode("utf-8")), mimetype="text/html")
        return render_template(template, page=build(request.args, False, **rule_args))

    def json_view():
        def made() -> Response:
            page = build(request.args, True)
            return jsonify(page[key] if key else {k: v for k, v in page.items() if k != "ui"})

        if memo:
            body = get_engine().memo(("json", request.endpoint, request.full_path), lambda: made().get_data())
            return Response(body, mimetype="application/json")
        return made()

    bp.add_url_rule(rule, endpoint, html_view, methods=["GET"])
    bp.add_url_rule(json_rule, f"{endpoint}_json", json_view, methods=["GET"])
    if csv:
        csv_rule, table, disposition = csv

        def csv_view():
            return Response(table(request.args), mimetype="text/csv", headers={"Content-Disposition": disposition})

        bp.add_url_rule(csv_rule, f"{endpoint}_csv", csv_view, methods=["GET"])
    for file_rule, suffix, make, mimetype, ascii_name, name in files:
        view = _download(make, mimetype, f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
        bp.add_url_rule(file_rule, f"{endpoint}_{suffix}", view, methods=["GET"])


def _canonical_url() -> str | None:
    """This page with its typed filter values (广东省, 萧山) as the index holds them (广东, 萧山区), when any
    differ: an HTML page redirects there, so its chips and facet toggles name the values it shows. (The JSON
    and file twins need no redirect: the engine resolves the values itself.) Unknown values raise
    ``FilterError``, a 400 page linking the close values."""
    pairs = urls.args_of(request.args)
    typed = [(k, v.strip()) for k, v in pairs if k in VALUE_FACETS and 0 < len(v.strip()) <= MAX_VALUE_CHARS]
    if not typed:
        return None
    engine = get_engine()
    fixed = {pair: engine.resolve_value(*pair) for pair in typed}
    canonical = [(k, fixed.get((k, v.strip()), v)) for k, v in pairs]
    return urls.path_with_args(request.path, canonical) if canonical != pairs else None


def _download(make, mimetype: str, header: str):
    def view():
        return Response(make(request.args), mimetype=mimetype, headers={"Content-Disposition": header})

    return view


def _page(module):
    """The builder of a page whose twins read the same arguments: ``module.build(engine, args)``."""
    return lambda args, twin: module.build(get_engine(), args)


def _overview(args, twin: bool) -> dict:
    if twin:  # the home page takes any argument; its JSON twin none
        check_names(args, frozenset())
    return overview_page.build(get_engine())


def _report(args, twin: bool, report_id: str = "") -> dict:
    """The report page (``/report/<id>``); its JSON twin names the report with ``?id=``."""
    if twin:
        check_names(args, REPORT_PARAMS | {"id"})
        report_id, args = args.get("id", ""), _without(args, "id")
    q, mode = report_query(args)
    page = report_page.build(get_engine(), _checked_id(report_id), q, mode, args)
    if page is None:
        abort(404, description=f"找不到该报告：{report_id}")
    return page


def _search_csv(args) -> bytes:
    """Every matching section of the whole result (not one page), one row each."""
    wanted = search_request(args, limit=MAX_LIMIT, every_section=True)
    result = get_engine().search(wanted).to_dict()
    return export.to_csv(export.rows(result, wanted.q, wanted.mode))


def _matrix_csv(args) -> bytes:
    header, rows = matrix_page.csv_table(matrix_page.build(get_engine(), args)["matrix"])
    return export.grid_csv(header, rows)


def _search_xlsx(args) -> bytes:
    wanted = search_request(args, limit=MAX_LIMIT, every_section=True)
    result = get_engine().search(wanted).to_dict()
    return export.to_xlsx(*export.search_table(export.rows(result, wanted.q, wanted.mode)), sheet="检索结果")


def _matrix_xlsx(args) -> bytes:
    return export.to_xlsx(*matrix_page.csv_table(matrix_page.build(get_engine(), args)["matrix"]), sheet="地区年份表")


def _compliance_xlsx(args) -> bytes:
    data = compliance_page.build(get_engine(), args)["compliance"]
    return export.to_xlsx(*compliance_page.xlsx_table(data), sheet="合规检查")


def _overlap_table(args) -> tuple:
    return overlap_page.table(overlap_page.build(get_engine(), args)["overlap"])


def _excerpts_xlsx(args) -> bytes:
    return export.to_xlsx(*excerpts_page.xlsx_table(excerpts_page.build(get_engine(), args)["excerpts"]), sheet="摘录")


def _excerpts_docx(args) -> bytes:
    return excerpts_page.docx_file(excerpts_page.build(get_engine(), args)["excerpts"])


def _xlsx(rule: str, make, ascii_name: str, name: str) -> tuple:
    return (rule, "xlsx", make, export.XLSX_MIME, ascii_name, name)


def _checked_id(report_id: str) -> str:
    """A report id as the index knows it: a relative path, never ``..``, absolute or with encoded separators."""
    raw = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI") or ""
    parts = report_id.split("/")
    if (not report_id or report_id.startswith("/") or "\\" in report_id or "\x00" in report_id
            or any(p in ("", ".", "..") for p in parts) or _ENCODED_SEPARATOR.search(raw.split("?")[0])):
        abort(404, description="找不到该报告")
    return report_id


def _without(args, name: str) -> MultiDict:
    return MultiDict([(k, v) for k, v in args.items(multi=True) if k != name])


# Every page with its twins, one line each: the one object a page's ``build`` returns is rendered as HTML
# and, under its key, as JSON (and as CSV where a page has a table).
twins("home", "/", "/overview.json", "index.html", _overview, "overview")
twins("search", "/search", "/search.json", "search.html",
      lambda args, twin: results_page.build(get_engine(), args, ui=not twin), "result",
      csv=("/search.csv", _search_csv, CSV_DISPOSITION),
      files=(_xlsx("/search.xlsx", _search_xlsx, "reports-search.xlsx", "检索结果.xlsx"),), memo=True)
twins("facet", "/facet", "/facet.json", "facet.html", _page(facet_page), "facet")
twins("report", "/report/<path:report_id>", "/report.json", "report.html", _report)
twins("matrix", "/matrix", "/matrix.json", "matrix.html", _page(matrix_page), "matrix",
      csv=("/matrix.csv", _matrix_csv, MATRIX_DISPOSITION),
      files=(_xlsx("/matrix.xlsx", _matrix_xlsx, "reports-matrix.xlsx", "地区年份表.xlsx"),))
twins("trend", "/trend", "/trend.json", "trend.html", _page(trend_page), "trend")
twins("compare", "/compare", "/compare.json", "compare.html", _page(compare_page), "comparison")
twins("explain", "/explain", "/explain.json", "explain.html", _page(explain_page), "explanation")
twins("related", "/related", "/related.json", "related.html", _page(related_page), "related")
twins("compliance", "/compliance", "/compliance.json", "compliance.html", _page(compliance_page), "compliance",
      files=(_xlsx("/compliance.xlsx", _compliance_xlsx, "reports-compliance.xlsx", "合规检查.xlsx"),))
twins("overlap", "/overlap", "/overlap.json", "overlap.html", _page(overlap_page), "overlap",
      csv=("/overlap.csv", lambda args: export.grid_csv(*_overlap_table(args)), OVERLAP_DISPOSITION),
      files=(_xlsx("/overlap.xlsx", lambda args: export.to_xlsx(*_overlap_table(args), sheet="相同片段"),
                   "reports-overlap.xlsx", "相同片段.xlsx"),))
twins("excerpts", "/excerpts", "/excerpts.json", "excerpts.html", _page(excerpts_page), "excerpts",
      files=(("/excerpts.docx", "docx", _excerpts_docx, excerpts_page.DOCX_MIME, "excerpts.docx", "摘录.docx"),
             _xlsx("/excerpts.xlsx", _excerpts_xlsx, "excerpts.xlsx", "摘录.xlsx")))
