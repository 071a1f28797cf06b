"""Benchmark peer: the naive build — a Whoosh TEXT field with ``jieba.analyse.ChineseAnalyzer``, stored.

Built the way its documentation shows: one document per report, Whoosh's default writer and QueryParser,
top-10 highlights from Whoosh's own highlighter (which re-analyzes the stored text with jieba per hit).
Province and year are extra fields filled from the generator's manifest, for the facet queries.

    python -m bench.naive CORPUS_DIR INDEX_DIR     # build; prints {"seconds": …}
"""

from __future__ import annotations

import json
import logging
import sys
import time
import warnings
from pathlib import Path

import jieba

from bench.corpus import load_manifest
from bench.queries import Query

jieba.setLogLevel(logging.WARNING)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # whoosh and jieba.analyse carry old escape sequences
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index, query as wq
    from whoosh.fields import ID, NUMERIC, TEXT, Schema
    from whoosh.qparser import QueryParser


def schema() -> Schema:
    return Schema(file=ID(stored=True, unique=True), content=TEXT(analyzer=ChineseAnalyzer(), stored=True),
                  province=ID(stored=True), year=NUMERIC(stored=True))


def build(corpus_dir: Path, index_dir: Path) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), schema())
    with ix.writer() as writer:
        for meta in load_manifest(corpus_dir):
            text = (corpus_dir / meta["file"]).read_text(encoding="utf-8")
            writer.add_document(file=meta["file"], content=text, province=meta["province"], year=meta["year"])


class NaiveSearch:
    def __init__(self, index_dir: Path):
        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("content", self.ix.schema)

    def _parse(self, query: Query):
        q = self.parser.parse(query.q)
        filters = [wq.Term("province", p) for p in query.province[:1]]
        if query.year_from is not None or query.year_to is not None:
            filters.append(wq.NumericRange("year", query.year_from, query.year_to))
        return q, (wq.And(filters) if filters else None)

    def page(self, query: Query) -> list[tuple[str, str]]:
        """The top 10 reports with their highlights, as a result page needs them."""
        q, flt = self._parse(query)
        results = self.searcher.search(q, limit=10, filter=flt)
        return [(hit["file"], hit.highlights("content")) for hit in results]

    def all_files(self, query: Query) -> set[str]:
        q, flt = self._parse(query)
        return {hit["file"] for hit in self.searcher.search(q, limit=None, filter=flt)}

    def close(self) -> None:
        self.searcher.close()


if __name__ == "__main__":
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    start = time.perf_counter()
    build(corpus, out)
    print(json.dumps({"seconds": time.perf_counter() - start}))
