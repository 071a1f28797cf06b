"""Test helpers for the search side: hand-made reports (``Report.to_dict()`` shape) and real indexes."""

from __future__ import annotations

import re

from indexer.build.gramfiles import backfill
from search.schema import create_index, section_documents, whoosh_documents

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
            for doc in whoosh_documents(section_documents(r)):
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


# --------------------------------------------------------------------------------------------------
# A corpus with known copies (search.overlap, its pages)

OWN_1 = "本县公安局全年工作概况如下所述。"
OWN_2 = "以下为另外一些本局自己的总结文字。"
OWN_3 = "最后这一段同样出自本局之手以作检验。"
QUOTED = "《关于进一步规范全县各级公安机关办理行政案件程序若干问题的具体实施意见》"


def _long_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if len(line.strip()) > 80 and "。" in line]


def to_full_width(text: str) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(ord("0"), ord("9") + 1)})


def copies_corpus(root) -> dict:
    """Files and their index in ``root``: a.txt, b.txt (two seeds), c.txt (own text, a paragraph p1 of a, one
    p2 of b), t.txt (a paragraph p3 of a in traditional script with full-width digits), n.txt (own text only),
    q1.txt / q2.txt (only a quoted document title in common). Returns the index path, the stored texts and
    the paragraphs."""
    import re as _re

    from build_helpers import SEEDS
    from builders import to_traditional
    from indexer.build import build
    from search.engine import Engine

    files = root / "corpus"
    files.mkdir()
    (files / "a.txt").write_bytes(SEEDS[0].read_bytes())
    (files / "b.txt").write_bytes(SEEDS[1].read_bytes())
    build(files, root / "first", workers=1)
    first = Engine(root / "first")
    texts = {name: first.report(name)["text"] for name in ("a.txt", "b.txt")}
    first.close()
    p1 = _long_lines(texts["a.txt"])[2]
    p2 = _long_lines(texts["b.txt"])[3]
    p3 = next(line for line in _long_lines(texts["a.txt"])[3:] if _re.search(r"\d", line))
    (files / "c.txt").write_text(f"某县公安局2022年法治政府建设年度报告\n{OWN_1}\n{p1}\n{OWN_2}\n{p2}\n{OWN_3}\n",
                                 encoding="utf-8")
    (files / "t.txt").write_text(f"某區公安分局2021年法治政府建設年度報告\n{OWN_1}\n{to_full_width(to_traditional(p3))}\n"
                                 f"{OWN_3}\n", encoding="utf-8")
    (files / "n.txt").write_text(f"某镇派出所2020年工作总结\n{OWN_1}\n{OWN_2}\n{OWN_3}\n", encoding="utf-8")
    (files / "q1.txt").write_text(f"甲县司法局2021年报告\n我局认真贯彻落实{QUOTED}要求。\n", encoding="utf-8")
    (files / "q2.txt").write_text(f"乙县司法局2022年报告\n全面执行{QUOTED}规定。\n", encoding="utf-8")
    index = root / "index"
    build(files, index, workers=1)
    engine = Engine(index)
    stored = {f.name: engine.report(f.name)["text"] for f in files.iterdir()}
    engine.close()
    return {"index": index, "texts": stored, "p1": p1, "p2": p2, "p3": p3}
