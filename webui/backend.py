"""Web UI stage: the one search ``Engine`` of an app.

The engine is created on first use and kept for the life of the app (it caches its searcher and facet columns
and notices a rebuilt index by itself, so results are never cached here: a page kept for its URL lives with
its generation, ``Engine.memo``). A missing index is not cached
either: the next request tries again, so a server started before ``reports-index build`` finishes recovers.
"""

from __future__ import annotations

import threading

from flask import current_app

from search.engine import Engine

_LOCK = threading.Lock()
_KEY = "reports_engine"


def get_engine() -> Engine:
    app = current_app
    engine = app.extensions.get(_KEY)
    if engine is None:
        with _LOCK:
            engine = app.extensions.get(_KEY)
            if engine is None:
                engine = Engine(app.config["INDEX_DIR"])
                app.extensions[_KEY] = engine
    return engine
