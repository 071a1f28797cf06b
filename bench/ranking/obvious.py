"""The obvious build (benchmark peer for ranking): a Whoosh TEXT field with ``jieba.analyse.ChineseAnalyzer``,
each section (the parser's unit, as the judged set counts them) a document, Whoosh's BM25F and QueryParser.

A result page lists reports in the order of their first section in Whoosh's results, each report's sections
in result order: the same reading order as our hits.
"""

from __future__ import annotations

import logging
import re
import tempfile
import warnings
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # whoosh and jieba.analyse carry old escape sequences
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index
    from whoosh.fields import ID, STORED, TEXT, Schema
    from whoosh.qparser import QueryParser

_NEAR = re.compile(r"同[句段]\(([^)]*)\)")


def to_whoosh(q: str) -> str:
    """Our query syntax → Whoosh's: 同句(a b) / 同段(a b) as a b, quoted phrases as their words (the
    analyzer's positions make Whoosh phrases fail), everything else as typed (space = AND)."""
    return _NEAR.sub(r"\1", q).replace('"', " ").replace("“", " ").replace("”", " ")


class ObviousSearch:
    def __init__(self, units_of_files: dict[str, list[tuple[tuple[str, ...], str]]]):
        """``units_of_files``: per report file, its sections as (heading path, text)."""
        self.tmp = tempfile.TemporaryDirectory(prefix="obvious-")
        schema = Schema(file=ID(stored=True), path=STORED(), content=TEXT(analyzer=ChineseAnalyzer()))
        self.ix = index.create_in(self.tmp.name, schema)
        with self.ix.writer() as w:
            for file, units in units_of_files.items():
                for path, text in units:
                    w.add_document(file=file, path=list(path), content=text)
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("content", self.ix.schema)

    def hits(self, q: str) -> list[dict]:
        """Reports with their sections, in reading order (the shape of our hits: file, sections[path])."""
        out: dict[str, dict] = {}
        for hit in self.searcher.search(self.parser.parse(to_whoosh(q)), limit=None):
            out.setdefault(hit["file"], {"file": hit["file"], "sections": []})["sections"].append(
                {"path": hit["path"]})
        return list(out.values())

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()
        self.tmp.cleanup()
