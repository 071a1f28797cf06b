"""Related sections (read side, over ``search.engine``'s searcher): how other bureaus wrote the same thing.

More-like-this over the section documents' ``exact`` field. The schema has no per-section words field (jieba
words are indexed per report, ``rwords``, for ranking reports) and no term vectors, so the one source section's
stored text is re-analysed into the exact field's grams (no jieba), the key terms are picked with Whoosh's
expansion model (``Searcher.key_terms_from_text``, Bo1: grams frequent in the section and rare in the
collection), keeping character bigrams (single characters and punctuation say little), and an OR of them is
scored by BM25 over every section of the *other* reports. Character bigrams are a classic representation
for Chinese retrieval; they need no segmentation and match the same phrases the way a reader sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from search.engine import Engine

TOP = 10
PER_REPORT = 2  # a drafter wants several bureaus, not one report's every paragraph
KEY_TERMS = 30
EXCERPT_CHARS = 120
FIELD = "exact"


@dataclass
class Related:
    source: dict  # file, title, agency, year, index, heading, path, kinds
    terms: list[str] = field(default_factory=list)  # the key terms searched
    related: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"source": self.source, "terms": self.terms, "related": self.related}


def key_terms(searcher, text: str, n: int = KEY_TERMS) -> list[tuple[str, float]]:
    """The ``n`` most telling bigrams of ``text`` (word characters only), with their expansion weights."""
    picked = searcher.key_terms_from_text(FIELD, text, numterms=n * 4, normalize=True)
    return [(t, w) for t, w in picked if len(t) == 2 and t.isalnum()][:n]


def excerpt(text: str, heading: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a section's text after its heading, on one line (plain text; escaped by the page)."""
    body = text[len(heading):] if heading and text.startswith(heading) else text
    body = " ".join(body.split()).lstrip("。，,.：:；; ")
    return body if len(body) <= limit else body[:limit] + "…"


def related(engine: Engine, report_id: str, index: int, top: int = TOP, per_report: int = PER_REPORT) -> Related | None:
    """Sections of other reports most like section ``index`` of ``report_id`` (None: no such section)."""
    report = engine.report(report_id)
    if report is None:
        return None
    section = next((s for s in report["sections"] if s["index"] == index), None)
    if section is None:
        return None
    source = {"file": report_id, "title": report.get("title"), "agency": report.get("agency"),
              "year": report.get("year"), "index": index, "heading": section["heading"],
              "path": section["path"], "kinds": section["kinds"]}
    out = Related(source)
    with engine._locked() as st:  # the engine's open searcher (same package: read side)
        terms = key_terms(st.searcher, section["text"])
        out.terms = [t for t, _ in terms]
        if not terms:
            return out
        q = wq.Or([wq.Term(FIELD, t, boost=w) for t, w in terms])
        results = st.searcher.search(q, limit=None, mask=wq.Term("report_id", report_id))
        counts: dict[str, int] = {}
        for hit in results:
            stored = hit.fields()
            rid = stored["report_id"]
            if stored.get("sec_index", -1) < 0 or counts.get(rid, 0) >= per_report:
                continue  # the title/preamble document is no section
            counts[rid] = counts.get(rid, 0) + 1
            head = st.searcher.stored_fields(st.report_docs[st.by_id[rid]][0])
            out.related.append({
                "file": rid, "title": head.get("title"), "agency": stored.get("agency"),
                "province": stored.get("province"), "city": stored.get("city"), "year": stored.get("year"),
                "index": stored["sec_index"], "heading": stored.get("heading") or "",
                "path": list(stored.get("path") or []), "kinds": list(stored.get("kinds") or []),
                "score": round(hit.score, 4), "excerpt": excerpt(stored.get("text") or "", stored.get("heading") or ""),
            })
            if len(out.related) >= top:
                break
    return out
