"""Benchmark peer: SQLite FTS5 with the trigram tokenizer (stdlib sqlite3), the exact-substring peer.

One row per report holding the normalized text (NFKC + casefold, as the ground truth sees it). A query's
terms of 3+ characters go to ``MATCH`` as quoted phrases (ranked by bm25, snippets by ``snippet()``). The
trigram index cannot answer a term shorter than 3 characters: such terms become ``body LIKE '%term%'``, which
scans every row, as the SQLite documentation prescribes; when a query has only such terms there is no MATCH,
so no ranking and no ``snippet()`` (an error outside MATCH): the page cuts its snippets in Python around the
first occurrence, as a user of FTS5 would. Province and year are plain columns filtered in the WHERE clause.

    python -m bench.fts5 CORPUS_DIR DB_PATH     # build; prints {"seconds": …}
"""

from __future__ import annotations

import html
import json
import sqlite3
import sys
import time
from pathlib import Path

from bench.corpus import load_manifest
from bench.grep import normalize
from bench.queries import Query

TRIGRAM_MIN_VERSION = (3, 34, 0)


def check_sqlite() -> None:
    if sqlite3.sqlite_version_info < TRIGRAM_MIN_VERSION:
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer (needs 3.34+)")


def build(corpus_dir: Path, db_path: Path) -> None:
    check_sqlite()
    db_path.unlink(missing_ok=True)
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(file UNINDEXED, province UNINDEXED, year UNINDEXED, "
                   "body, tokenize='trigram')")
        rows = ((m["file"], m["province"], m["year"], normalize((corpus_dir / m["file"]).read_text(encoding="utf-8")))
                for m in load_manifest(corpus_dir))
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)
    db.close()


def where(query: Query) -> tuple[str, list, bool]:
    """The WHERE clause and its parameters; whether it has a MATCH (ranking and snippet() need one)."""
    terms = [normalize(t) for t in query.terms]
    long_terms = [t for t in terms if len(t) >= 3]
    clauses, params = [], []
    if long_terms:
        clauses.append("docs MATCH ?")
        params.append(" ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for t in terms:
        if len(t) < 3:
            clauses.append("body LIKE ? ESCAPE '\\'")
            params.append("%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if query.province:
        clauses.append("province IN (%s)" % ",".join("?" * len(query.province)))
        params += query.province
    if query.year_from is not None:
        clauses += ["year >= ?"]
        params.append(query.year_from)
    if query.year_to is not None:
        clauses += ["year <= ?"]
        params.append(query.year_to)
    return " AND ".join(clauses), params, bool(long_terms)


def cut_snippet(body: str, terms: list[str], width: int = 32) -> str:
    """The LIKE-only page's snippet: the text around the first term, escaped, terms marked."""
    i = body.find(terms[0])
    piece = html.escape(body[max(0, i - width) : i + len(terms[0]) + width])
    for t in terms:
        piece = piece.replace(html.escape(t), f"<mark>{html.escape(t)}</mark>")
    return piece


class Fts5Search:
    def __init__(self, db_path: Path):
        check_sqlite()
        self.db = sqlite3.connect(db_path, check_same_thread=False)

    def page(self, query: Query) -> list[tuple[str, str]]:
        clause, params, ranked = where(query)
        if ranked:
            sql = (f"SELECT file, snippet(docs, 3, '<mark>', '</mark>', '…', 24) FROM docs WHERE {clause} "
                   "ORDER BY rank LIMIT 10")
            return self.db.execute(sql, params).fetchall()
        rows = self.db.execute(f"SELECT file, body FROM docs WHERE {clause} LIMIT 10", params).fetchall()
        terms = [normalize(t) for t in query.terms]
        return [(file, cut_snippet(body, terms)) for file, body in rows]

    def all_files(self, query: Query) -> set[str]:
        clause, params, _ = where(query)
        return {row[0] for row in self.db.execute(f"SELECT file FROM docs WHERE {clause}", params)}

    def close(self) -> None:
        self.db.close()


if __name__ == "__main__":
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    start = time.perf_counter()
    build(corpus, out)
    print(json.dumps({"seconds": time.perf_counter() - start}))
