"""Test helpers for the search side: hand-made reports (``Report.to_dict()`` shape) and real indexes."""

from __future__ import annotations

import re

from indexer.build.gramfiles import backfill
from search.schema import create_index, section_documents

_HEADING = re.compile(r"^(?P<h>(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^\n]*)$", re.M)


def make_report(file: str, text: str, kinds: dict[str, list[str]] | None = None, **meta) -> dict:
    """A report dict whose sections are the lines starting with 一、 (level 1) or （一） (level 2)."""
    sections = []
    parent_l1 = None
    for m in _HEADING.finditer(text):
        level = 1 if "、" in m.group("h")[:5] and not m.group("h").startswith("（") else 2
        if level == 1:
            parent_l1 = len(sections)
        sections.append({"heading": m.group("h"), "level": level, "start": m.start(), "end": None,
                         "body_start": m.end(), "kinds": (kinds or {}).get(m.group("h"), []) if level == 1 else [],
                         "parent": None if level == 1 else parent_l1})
    for i, s in enumerate(sections):
        nxt = [t["start"] for t in sections[i + 1:] if t["level"] <= s["level"]]
        s["end"] = nxt[0] if nxt else len(text)
    report = {"file": file, "text": text, "title": None, "agency": None, "province": None, "city": None,
              "county": None, "level": None, "sector": None, "year": None, "publish_date": None,
              "doc_date": None, "source_url": None, "sections": sections}
    report.update(meta)
    return report


def build_index(path, reports: list[dict]):
    """A real index of ``reports`` in ``path``: Whoosh documents, then the segment's gram file."""
    ix = create_index(path)
    with ix.writer() as w:
        for r in reports:
            for doc in section_documents(r):
                w.add_document(**doc)
    backfill(path)
    return ix


def found(engine, q, **kw):
    """(the report ids a search for ``q`` lists, the result), every page at once."""
    from search.engine import SearchRequest

    result = engine.search(SearchRequest(q=q, limit=10000, **kw))
    return {h["file"] for h in result.hits}, result


def containing(grep, s):
    """The report ids whose grep text (the ``grep`` fixture) holds ``s``, normalized."""
    from search.analysis import normalize_text

    s = normalize_text(s)
    return {rid for rid, text in grep.items() if s in text}
