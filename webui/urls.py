"""Web UI stage: every link the pages show is built here, from the current query string.

Templates never assemble URLs: each facet value carries its toggle URL, each chip its removal URL, the pager
its page URLs (datasette's ``path_with_added_args`` / ``path_with_removed_args``). Arguments are kept as an
ordered list of ``(name, value)`` pairs so that repeated parameters (``city=广州&city=深圳``) survive.
The links between pages (a report, one of its sections, its related sections, a narrowed search) are built
by the functions at the end, from the routes' endpoint names (``url_for``).
"""

from __future__ import annotations

from urllib.parse import quote_plus, urlencode

from flask import url_for

from search.schema import VALUE_FACETS

Args = list[tuple[str, str]]

# Changing any of these starts the result list again from page 1.
RESETS_PAGE = frozenset({"q", "mode", *VALUE_FACETS, "year", "year_from", "year_to", "sort", "limit"})


def args_of(multidict) -> Args:
    """The query string as ordered pairs (works for werkzeug's MultiDict and for plain lists of pairs)."""
    if hasattr(multidict, "items") and hasattr(multidict, "getlist"):
        return [(k, v) for k, v in multidict.items(multi=True)]
    return list(multidict)


def path_with_args(path: str, args: Args) -> str:
    """``path`` with ``args`` as its query string; empty values are dropped to keep URLs short."""
    pairs = [(k, v) for k, v in args if v != ""]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _drop_page(args: Args, names) -> Args:
    if RESETS_PAGE.intersection(names):
        return [(k, v) for k, v in args if k != "page"]
    return args


def with_added(path: str, args: Args, added: Args) -> str:
    """Keep every argument and append ``added`` (a multi-select facet value, say)."""
    names = {k for k, _ in added}
    kept = [pair for pair in _drop_page(args, names) if pair not in added]
    return path_with_args(path, kept + list(added))


def adder(path: str, args: Args, name: str):
    """``value → with_added(path, args, [(name, value)])`` for the many values of one facet: the arguments kept
    are encoded once (a facet of a large collection lists thousands of values, each with its URL)."""
    kept = [(k, v) for k, v in _drop_page(args, {name}) if v != ""]
    held = {v for k, v in kept if k == name}
    prefix = (f"{path}?{urlencode(kept)}&" if kept else f"{path}?") + quote_plus(name) + "="

    def url(value: str) -> str:
        if value in held or value == "":
            return with_added(path, args, [(name, value)])
        return prefix + quote_plus(value)  # what urlencode([(name, value)]) appends

    return url


def with_removed(path: str, args: Args, name: str, value: str | None = None) -> str:
    """Drop argument ``name`` (only the pair with ``value`` when one is given)."""
    kept = [(k, v) for k, v in _drop_page(args, {name}) if not (k == name and (value is None or v == value))]
    return path_with_args(path, kept)


def with_replaced(path: str, args: Args, name: str, value: str | None, *also_removed: str) -> str:
    """Set argument ``name`` to one ``value`` (or remove it when ``value`` is None), dropping ``also_removed``."""
    names = {name, *also_removed}
    kept = [(k, v) for k, v in _drop_page(args, names) if k not in names]
    if value is not None:
        kept.append((name, value))
    return path_with_args(path, kept)


def with_value_replaced(path: str, args: Args, name: str, old: str, new: str) -> str:
    """Argument ``name``'s value ``old`` (as typed, surrounding spaces aside) replaced by ``new``, in place."""
    replaced = [(k, new if k == name and v.strip() == old else v) for k, v in _drop_page(args, {name})]
    return path_with_args(path, replaced)


def with_values(path: str, args: Args, values: dict) -> str:
    """Set each named argument to its one value (a value of None removes the argument)."""
    kept = [(k, v) for k, v in _drop_page(args, set(values)) if k not in values]
    return path_with_args(path, kept + [(k, str(v)) for k, v in values.items() if v is not None])


def request_args(request) -> Args:
    """The query string of a ``SearchRequest``'s query and filters (the analysis pages link to searches)."""
    args: Args = [("q", request.q)]
    if request.mode != "exact":
        args.append(("mode", request.mode))
    for name in VALUE_FACETS:
        args.extend((name, value) for value in getattr(request, name))
    lo, hi = request.year_from, request.year_to
    if lo is not None or hi is not None:
        args.append(("year", str(lo) if lo == hi else f"{lo or ''}-{hi or ''}"))
    args.extend(("year", str(y)) for y in request.years)
    return args


# --------------------------------------------------------------------------------------------------
# Links between pages


def report_url(report_id: str, q: str = "", mode: str = "exact", **extra) -> str:
    """A report's page, the query's matches marked (``extra``: more ``url_for`` arguments, e.g. ``_anchor``)."""
    params = {k: v for k, v in (("q", q), ("mode", "" if mode == "exact" else mode)) if v}
    return url_for("webui.report", report_id=report_id, **params, **extra)


def section_anchor(section: dict) -> dict:
    """``url_for`` arguments pointing at a section's anchor on the report page (none for the preamble)."""
    index = section.get("index")
    return {"_anchor": f"s-{index}"} if isinstance(index, int) and index >= 0 else {}


def related_url(report_id: str, index: int) -> str:
    """The sections of other reports like section ``index`` of a report (相似段落)."""
    return url_for("webui.related", id=report_id, section=index)


def query_search_url(q: str, mode: str) -> str:
    """The search for ``q`` in ``mode``, without filters (the report page's way back)."""
    return url_for("webui.search", q=q, **({"mode": mode} if mode != "exact" else {}))


def search_url(request, values: dict | None = None) -> str | None:
    """The search of ``request`` (a ``SearchRequest``), narrowed to ``values`` (None when a value is
    unknown: no filter says so)."""
    values = values or {}
    if any(v is None for v in values.values()):
        return None
    if "year" in values:
        values = {**values, "year_from": None, "year_to": None}
    return with_values(url_for("webui.search"), request_args(request), values)
