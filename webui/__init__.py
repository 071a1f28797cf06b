"""The web UI (Flask) over the search layer: faceted search, report pages, JSON and CSV twins.

Stage: the last one (files → indexer → index → search → webui). Imports ``search`` only, never writes or
reindexes. ``create_app()`` is the factory (Flask tutorial style); configuration, later sources winning:
defaults, ``instance/config.py``, the environment (``REPORTS_INDEX_DIR``, ``REPORTS_CORPUS_DIR``), ``test_config``.

- ``views``: the routes, every page with its twins one line each; ``errors``: every error → one status.
- ``pages/``: one module per page, ``build(...)`` → the object its template and its JSON twin share.
- ``params``: the query string → a validated ``SearchRequest``; ``urls``: every link the pages show.
- ``markup`` (text → HTML, escaped once), ``labels`` (Chinese names), ``chart`` (SVG), ``export`` (CSV),
  ``backend`` (the app's one ``Engine``), ``cli`` (reports-web).
"""

from __future__ import annotations

import os

from flask import Flask
from jinja2 import StrictUndefined

from webui.jsonprovider import OrjsonProvider

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
ENV_KEYS = {"REPORTS_INDEX_DIR": "INDEX_DIR", "REPORTS_CORPUS_DIR": "CORPUS_DIR"}


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(INDEX_DIR="index", CORPUS_DIR="corpus")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update({key: os.environ[env] for env, key in ENV_KEYS.items() if os.environ.get(env)})
    else:
        app.config.from_mapping(test_config)
    app.config["INDEX_DIR"] = os.path.abspath(app.config["INDEX_DIR"])

    app.json = OrjsonProvider(app)  # UTF-8, keys in their order, as Flask's would write them (webui.jsonprovider)
    app.jinja_env.undefined = StrictUndefined
    app.after_request(_security_headers)

    from . import errors, views

    app.register_blueprint(views.bp)
    errors.register(app)
    return app


def _security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response
