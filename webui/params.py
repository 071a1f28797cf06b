"""Web UI stage: the query string → a validated ``SearchRequest``.

Every parameter is checked here and a bad one raises ``ParamError`` with a message a user can read (shown on
a 400 page, or as ``{"error": ...}`` by the JSON twin). Unknown parameter *names* and malformed values are
errors, so a typo never silently widens a search; facet *values* are matched to the index's own by the
engine (``search.filters``), which rejects those it does not hold.
"""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from search.engine import MAX_LIMIT, MODES, SORTS, SearchRequest
from search.schema import VALUE_FACETS

MAX_QUERY_CHARS = 500
MAX_VALUE_CHARS = 100
MAX_VALUES = 50
MAX_PAGE = 10_000
DEFAULT_LIMIT = 10
YEAR_MIN, YEAR_MAX = 1949, 2100

YEAR_PARAMS = ("year", "year_from", "year_to")
SEARCH_PARAMS = frozenset({"q", "mode", "sort", "page", "limit", *YEAR_PARAMS, *VALUE_FACETS})
REPORT_PARAMS = frozenset({"q", "mode", "copies", "source", "min_chars", "quotes"})

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*[-–~至]\s*(\d{4})?\s*$")


class ParamError(ValueError):
    """A query-string parameter a user got wrong; the message says which and why."""


class PageOutOfRange(ParamError):
    """A page past the last one (``last``); the 400 page links to the last page."""

    def __init__(self, page: int, last: int):
        self.page, self.last = page, last
        super().__init__(f"页码 {page} 超出范围：共 {last} 页")


def check_names(args, allowed: frozenset) -> None:
    unknown = sorted({name for name in args.keys() if name not in allowed})
    if unknown:
        raise ParamError(f"未知参数：{'、'.join(unknown)}。可用参数：{'、'.join(sorted(allowed))}")


def _one(args, name: str, default: str = "") -> str:
    values = args.getlist(name)
    if len(values) > 1:
        raise ParamError(f"参数 {name} 只能出现一次")
    return values[0] if values else default


def _int(args, name: str, default: int, low: int, high: int) -> int:
    raw = _one(args, name).strip()
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit():
        raise ParamError(f"参数 {name} 应为整数，收到“{raw[:40]}”")
    value = int(raw) if len(raw) <= 18 else high + 1  # int() refuses over 4,300 digits: out of range anyway
    if not low <= value <= high:
        raise ParamError(f"参数 {name} 应在 {low} 到 {high} 之间，收到 {raw[:40]}")
    return value


def _year(raw: str, name: str) -> int | None:
    raw = raw.strip()
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and YEAR_MIN <= int(raw) <= YEAR_MAX):
        raise ParamError(f"参数 {name} 应为四位年份（如 2021），收到“{raw[:40]}”")
    return int(raw)


def year_filter(args) -> tuple[int | None, int | None, list[int]]:
    """``year=2021``, ``year=2020-2022`` (either end open), or ``year_from`` / ``year_to`` (the range form): a
    range; several ``year`` (``year=2021&year=2023``, each a year or a closed range): a set of years."""
    several = [v.strip() for v in args.getlist("year") if v.strip()]
    if len(several) > 1:
        if args.get("year_from", "").strip() or args.get("year_to", "").strip():
            raise ParamError("参数 year 不能与 year_from / year_to 同时使用")
        years = []
        for value in several:
            lo, hi = year_range(MultiDict([("year", value)]))
            if lo is None or hi is None:
                raise ParamError(f"多个年份时每个 year 应为年份或闭区间（如 2020-2022），收到“{value[:40]}”")
            years.extend(range(lo, hi + 1))
        return None, None, sorted(set(years))
    lo, hi = year_range(args)
    return lo, hi, []


def year_range(args) -> tuple[int | None, int | None]:
    """``year=2021``, ``year=2020-2022`` (either end open), or ``year_from`` / ``year_to`` (the range form)."""
    year = _one(args, "year").strip()
    lo, hi = _year(_one(args, "year_from"), "year_from"), _year(_one(args, "year_to"), "year_to")
    if year:
        if lo is not None or hi is not None:
            raise ParamError("参数 year 不能与 year_from / year_to 同时使用")
        match = _YEAR_RANGE.match(year)
        if match:
            lo, hi = _year(match.group(1) or "", "year"), _year(match.group(2) or "", "year")
        else:
            lo = hi = _year(year, "year")
    if lo is not None and hi is not None and lo > hi:
        raise ParamError(f"年份范围有误：起始年份 {lo} 晚于结束年份 {hi}")
    return lo, hi


def query_text(args) -> str:
    q = _one(args, "q")
    if len(q) > MAX_QUERY_CHARS:
        raise ParamError(f"查询过长（{len(q)} 个字符），最多 {MAX_QUERY_CHARS} 个字符")
    if _CONTROL.search(q):
        raise ParamError("查询中含有控制字符")
    return q.strip()


def choice(args, name: str, allowed: tuple[str, ...]) -> str:
    value = _one(args, name, allowed[0]).strip() or allowed[0]
    if value not in allowed:
        raise ParamError(f"参数 {name} 只能是 {' 或 '.join(allowed)}，收到“{value[:40]}”")
    return value


def facet_values(args, name: str) -> list[str]:
    values = [v.strip() for v in args.getlist(name) if v.strip()]
    if len(values) > MAX_VALUES:
        raise ParamError(f"参数 {name} 最多 {MAX_VALUES} 个值")
    for value in values:
        if len(value) > MAX_VALUE_CHARS or _CONTROL.search(value):
            raise ParamError(f"参数 {name} 的值无效")
    return list(dict.fromkeys(values))


def search_request(args, *, limit: int | None = None, every_section: bool = False) -> SearchRequest:
    """The ``SearchRequest`` a query string asks for; ``limit`` overrides paging and ``every_section`` lists
    every matching section of a hit (the CSV / Excel exports take all of both)."""
    check_names(args, SEARCH_PARAMS)
    year_from, year_to, years = year_filter(args)
    request = SearchRequest(
        q=query_text(args),
        mode=choice(args, "mode", MODES),
        year_from=year_from,
        year_to=year_to,
        years=years,
        sort=choice(args, "sort", SORTS),
        page=_int(args, "page", 1, 1, MAX_PAGE),
        limit=_int(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        every_section=every_section,
    )
    for name in VALUE_FACETS:
        setattr(request, name, facet_values(args, name))
    if limit is not None:
        request.page, request.limit = 1, limit
    return request


def report_query(args) -> tuple[str, str]:
    """The ``q`` and ``mode`` a report page highlights."""
    check_names(args, REPORT_PARAMS)
    return query_text(args), choice(args, "mode", MODES)


# --------------------------------------------------------------------------------------------------
# The analysis pages (matrix, trend, compare, explain): a query and filters, no paging or sort

FILTER_PARAMS = frozenset({"q", "mode", *YEAR_PARAMS, *VALUE_FACETS})
MAX_ID_CHARS = 500


def filter_request(args, extra: frozenset = frozenset()) -> SearchRequest:
    """The query and filters of ``args`` as a ``SearchRequest``; ``extra`` names the page's own parameters
    (allowed here, read by the page)."""
    check_names(args, FILTER_PARAMS | extra)
    kept = [(k, v) for k, v in args.items(multi=True) if k not in extra]
    return search_request(MultiDict(kept))


def whole_number(args, name: str, default: int, low: int, high: int) -> int:
    return _int(args, name, default, low, high)


def report_ids(args, name: str = "ids", low: int = 2, high: int = 4) -> list[str]:
    """Between ``low`` and ``high`` distinct report ids (looked up in the index later, never used as paths)."""
    ids = list(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
    for value in ids:
        if len(value) > MAX_ID_CHARS or _CONTROL.search(value):
            raise ParamError(f"参数 {name} 的值无效")
    if ids and not low <= len(ids) <= high:
        raise ParamError(f"请选择 {low} 到 {high} 份报告进行对比，当前选择了 {len(ids)} 份")
    return ids

