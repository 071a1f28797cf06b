"""Web UI stage: every value of one facet of a search (``/facet?facet=agency&q=…``, ``/facet.json``).

The results page lists a facet's most frequent values (``results.FACET_TOP`` + ``results.FACET_MORE``) and
links here for the rest: the same counts (``Engine.search``'s facets, exact), each value with the link that
adds it to the search or removes it, the selected first. ``build(engine, args)`` returns ``{"facet": {name,
label, values: [{value, count, selected}]}, "ui": {...}}``; the JSON twin returns ``facet``.
"""

from __future__ import annotations

import dataclasses

from flask import url_for
from werkzeug.datastructures import MultiDict

from search.engine import Engine

from .. import urls
from ..labels import FACET_LABELS
from ..params import SEARCH_PARAMS, ParamError, check_names, search_request
from .results import facet_view

FACET_PARAM = "facet"
FACET_NAMES = tuple(FACET_LABELS)


def build(engine: Engine, args) -> dict:
    check_names(args, SEARCH_PARAMS | {FACET_PARAM})
    pairs = urls.args_of(args)
    names = [v for k, v in pairs if k == FACET_PARAM]
    if len(names) != 1 or names[0] not in FACET_NAMES:
        raise ParamError(f"参数 {FACET_PARAM} 须是一个分面：{'、'.join(FACET_NAMES)}")
    name = names[0]
    kept = [(k, v) for k, v in pairs if k != FACET_PARAM]
    request = dataclasses.replace(search_request(MultiDict(kept)), page=1, limit=1, sections=False)
    values = engine.search(request).facets.get(name, [])
    search_path = url_for("webui.search")
    view = facet_view(name, values, search_path, kept, every=True)
    return {"facet": {"name": name, "label": FACET_LABELS[name], "values": values},
            "ui": {"facet": view, "q": request.q, "total": len(values),
                   "back_url": urls.path_with_args(search_path, kept),
                   "json_url": urls.path_with_args(url_for("webui.facet_json"), pairs)}}
