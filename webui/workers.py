"""Web UI stage: serving with several processes (``reports-web --workers N``): gunicorn, on Linux (``cli``
falls back to waitress's single process elsewhere).

The app is created once in gunicorn's master and the workers are forked from it (``preload_app``), with
jieba's dictionary already loaded, so they share their memory pages. The search ``Engine`` is
not: each worker makes its own on its first request (``webui.backend``) and follows ``CURRENT`` by itself, as
the single process does. Each worker runs ``threads`` threads (gunicorn's gthread worker), like waitress's.
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

TIMEOUT = 120  # seconds a worker may spend on one request before gunicorn replaces it


class Server(BaseApplication):
    """gunicorn serving one already-created WSGI app (its programmatic interface)."""

    def __init__(self, app, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve(app, host: str, port: int, workers: int, threads: int) -> None:
    from search.segmenter import jieba_tokenizer

    # jieba's dictionary in the master, before the fork: the server cuts with jieba alone
    # (``search.segmenter.jieba_only``, set by ``cli``), so the workers share its pages and none loads rjieba's.
    jieba_tokenizer()
    Server(app, {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
        "preload_app": True, "timeout": TIMEOUT, "proc_name": "reports-web", "accesslog": None,
        "errorlog": "-", "loglevel": "warning",
    }).run()
