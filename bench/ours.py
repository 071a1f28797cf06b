"""Benchmark subject: our index, built by ``reports-index build`` and searched through ``search.engine.Engine``.

A result page is what the web UI and ``reports-search --json`` serve: ``Engine.search`` (hits grouped by
report, facet counts over the whole result set, snippets for the top 10 reports) and its ``to_dict()``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.queries import Query


def build_command(corpus: Path, index_dir: Path, workers: int, rebuild: bool) -> list[str]:
    """The reindex command a user runs (the console script next to this Python)."""
    cmd = [str(Path(sys.executable).with_name("reports-index")), "build", str(corpus), "--index-dir",
           str(index_dir), "--workers", str(workers), "--quiet"]
    return cmd + ["--rebuild"] if rebuild else cmd


def cluster_command(corpus: Path, index_dir: Path, address: str) -> list[str]:
    """The same full build, its work done on a Dask cluster (``--cluster tcp://…`` or ``local:N``)."""
    return [str(Path(sys.executable).with_name("reports-index")), "build", str(corpus), "--index-dir",
            str(index_dir), "--cluster", address, "--quiet", "--rebuild"]


class OursSearch:
    def __init__(self, index_dir: Path):
        from search.engine import Engine

        self.index_dir = index_dir
        self.engine = Engine(str(index_dir))

    def reopen(self) -> None:
        """A fresh engine: the timed pages start without the term answers the accuracy pass cached."""
        from search.engine import Engine

        self.engine.close()
        self.engine = Engine(str(self.index_dir))

    def request(self, query: Query, limit: int = 10, page: int = 1, **extra):
        from search.engine import SearchRequest

        return SearchRequest(q=query.q, province=list(query.province), year_from=query.year_from,
                             year_to=query.year_to, limit=limit, page=page, **extra)

    def page(self, query: Query) -> dict:
        return self.engine.search(self.request(query)).to_dict()

    def all_files(self, query: Query) -> set[str]:
        from search.engine import MAX_LIMIT

        files: set[str] = set()
        page = 1
        while True:
            # the full listing without sections and snippets: that is what accuracy needs
            result = self.engine.search(self.request(query, MAX_LIMIT, page, sections=False)).to_dict()
            files |= {hit["file"] for hit in result["hits"]}
            if page * MAX_LIMIT >= result["total"]:
                return files
            page += 1

    def close(self) -> None:
        close = getattr(self.engine, "close", None)
        if close:
            close()
