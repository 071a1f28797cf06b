"""Web UI stage: the home page (``/``, ``/overview.json``): the collection by year, province and agency.

Everything comes from one empty-query search (which matches every report) and its facets, so the overview
counts are the search engine's own counts.
"""

from __future__ import annotations

from flask import url_for

from search.engine import Engine, SearchRequest
from search.titles import display_title

from .. import urls
from ..labels import value_label
from ..urls import report_url

NEWEST = 10


def build(engine: Engine) -> dict:
    result = engine.search(SearchRequest(q="", sort="year", limit=NEWEST)).to_dict()
    overview = {
        "total": result["total"],
        "by_year": _counts(result, "year", key=lambda v: -int(v["value"])),
        "by_province": _counts(result, "province"),
        "agencies": _counts(result, "agency"),
        "newest": [{k: hit.get(k) for k in ("file", "title", "agency", "year", "publish_date")}
                   for hit in result["hits"]],
    }
    return {"overview": overview, "ui": _ui(overview)}


def _counts(result: dict, facet: str, key=None) -> list[dict]:
    values = result["facets"].get(facet, [])
    if key is not None:
        values = sorted(values, key=key)
    return [{"value": v["value"], "count": v["count"]} for v in values]


def _ui(overview: dict) -> dict:
    path = url_for("webui.search")

    def listing(key: str, facet: str) -> list[dict]:
        return [{"label": value_label(facet, v["value"]), "count": v["count"],
                 "url": urls.path_with_args(path, [(facet, str(v["value"]))])} for v in overview[key]]

    return {
        "summary": f"共收录 {overview['total']} 份报告",
        "by_year": listing("by_year", "year"),
        "by_province": listing("by_province", "province"),
        "agencies": listing("agencies", "agency"),
        "newest": [{"title": display_title(r), "url": report_url(r["file"]),
                    "facts": " · ".join(str(x) for x in (r["agency"], r["publish_date"] or r["year"]) if x)}
                   for r in overview["newest"]],
    }
