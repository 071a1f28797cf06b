"""Web UI (last stage): the JSON twins written by orjson, as Flask's own provider would write them.

A result page of a 10k index lists thousands of facet values: the standard library's encoder took ~4 ms to
write one, orjson half a millisecond. Flask's types are kept (dates as HTTP dates, dataclasses, ``__html__``,
UUIDs: orjson passes dates and dataclasses to Flask's ``default``), and so is its compact output with a final
newline; non-string keys are written as strings, as ``json`` does (a NaN is null, valid JSON, where ``json``
writes NaN). Where the provider is set to escape non-ASCII or sort keys, or to indent (debug), Flask's own
encoder writes the page."""

from __future__ import annotations

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class OrjsonProvider(DefaultJSONProvider):
    """Flask's default provider, its plain case (UTF-8, keys in order, compact) written by orjson."""

    ensure_ascii = False  # readable Chinese in the JSON twins
    sort_keys = False  # keep the key order of `reports-search --json`

    def _plain(self) -> bool:
        return not (self.ensure_ascii or self.sort_keys)

    def dumps(self, obj, **kwargs) -> str:
        if kwargs or not self._plain():
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=OPTIONS).decode("utf-8")

    def response(self, *args, **kwargs):
        if not self._plain() or self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        body = orjson.dumps(self._prepare_response_obj(args, kwargs), default=self.default,
                            option=OPTIONS | orjson.OPT_APPEND_NEWLINE)
        return self._app.response_class(body, mimetype=self.mimetype)
