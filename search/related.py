"""Related sections (read side, over ``search.engine``): how other bureaus wrote the same thing.

More-like-this in two steps, because the index has jieba words per report (``search.words``) but none per
section:

1. Key terms: the one source section's stored text is re-analysed into jieba words (the only jieba run
   here), and Whoosh's expansion model (what ``Searcher.key_terms_from_text`` does with Bo1: words frequent
   in the section and rare in the collection) picks the telling ones; an OR of them over the reports' words
   (BM25F) gives the other reports most like the section (Whoosh's more-like-this, the source report
   masked). Both are computed as Whoosh computes them over a words field (its statistics, its one-byte
   field lengths), as arrays over the word files; tests hold them equal to Whoosh's own over such a field.
2. Sections: in those reports, each section's own stored text (heading to first sub-section) is scored by
   BM25 over the literal occurrences of the key terms (one regex over normalized text, as snippets are
   found: no jieba on stored text), so the best sections of other reports come first; a section of the
   source's kind (举措成效, 问题不足, …: the part of the report it belongs to) counts ``SAME_KIND`` times more.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from search.analysis import normalize_text, word_tokens
from search.engine import Engine

TOP = 10
PER_REPORT = 2  # a drafter wants several bureaus, not one report's every paragraph
CANDIDATES = 20  # reports whose sections are scored
KEY_TERMS = 25
EXCERPT_CHARS = 120
K1, B = 1.2, 0.75  # BM25: Whoosh's BM25F defaults (its search of the words, ``word_scores``) and the sections'
SAME_KIND = 1.25  # a problems section is most like another bureau's problems section: the genre's habit


@dataclass
class Related:
    source: dict  # file, title, agency, year, index, heading, path, kinds
    terms: list[str] = field(default_factory=list)  # the key terms searched
    related: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"source": self.source, "terms": self.terms, "related": self.related}


def key_terms(st, text: str, n: int = KEY_TERMS) -> list[tuple[str, float]]:
    """The ``n`` most telling words of ``text`` (two characters or more, not bare numbers), with weights."""
    picked = expanded_terms(st, text, n * 3)
    return [(t, w) for t, w in picked if len(t) > 1 and not t.isdigit()][:n]


def expanded_terms(st, text: str, number: int) -> list[tuple[str, float]]:
    """The ``number`` words of ``text`` best by Bo1 (normalized), best first (ties: in code-point order), as
    Whoosh's ``Expander`` gives them: each word's count in the text against its count in every report, over
    the index's documents."""
    words = st.words()
    big_n = words.doc_count
    scored = []
    for word, weight in Counter(w for _, w in word_tokens(text)).items():
        cf = words.frequency(word)
        if cf:
            f = cf / big_n
            scored.append((weight * math.log((1.0 + f) / f, 2) + math.log(1.0 + f, 2), word))
    if not scored:
        return []
    maxweight = max(score for score, _ in scored)
    f = maxweight / big_n
    norm = (maxweight * math.log((1.0 + f) / f) + math.log(1.0 + f)) / math.log(2.0)
    ranked = sorted(((score / norm, word) for score, word in scored), key=lambda x: (0 - x[0], x[1]))
    return [(word, score) for score, word in ranked[:number]]


def excerpt(text: str, heading: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a section's text after its heading, on one line (plain text; escaped by the page)."""
    body = text[len(heading):] if heading and text.startswith(heading) else text
    body = " ".join(body.split()).lstrip("。，,.：:；; ")
    return body if len(body) <= limit else body[:limit] + "…"


def similar_reports(engine: Engine, report_id: str, terms: list[tuple[str, float]],
                    limit: int = CANDIDATES) -> list[str]:
    """Other reports most like the key terms, best first (ties: the lower docnum first): what Whoosh's search of
    an OR of the terms (each boosted by its weight) over ``FIELD`` with its BM25F (``B``, ``K1``) lists."""
    with engine.reading() as st:
        scores = word_scores(st, terms)
        cols = st.columns
        own = cols.by_id.get(report_id, -1)
        docs = np.flatnonzero(scores > 0)
        report = cols.doc_report[docs]
        docs = docs[(report >= 0) & (report != own)]
        best = docs[np.lexsort((docs, -scores[docs]))[:limit]]
        return [cols.reports[cols.doc_report[d]]["file"] for d in best.tolist()]


def word_scores(st, terms: list[tuple[str, float]]) -> np.ndarray:
    """Per docnum, the sum over ``terms`` ((word, weight)) of weight × BM25F of the word in the reports' words,
    with Whoosh's statistics: idf log(N / (df + 1)) + 1 over every document, the lengths as Whoosh keeps them
    (``search.words.WordStore.scored_lengths``) against their mean over every document."""
    words = st.words()
    total = np.zeros(words.doc_count)
    avg = words.field_length() / (len(total) or 1) or 1
    lengths = words.scored_lengths()
    for text, weight in terms:
        ids, counts = words.postings(text)
        if not len(ids):
            continue
        idf = math.log(len(total) / (len(ids) + 1)) + 1
        tf = counts.astype(np.float64)
        total[ids] += idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths[ids] / avg))) * weight
    return total


def own_sections(report: dict) -> list[dict]:
    """Each section with its own text: from its heading to its first sub-section (or its end)."""
    sections, text = report["sections"], report["text"]
    out = []
    for i, s in enumerate(sections):
        end = sections[i + 1]["start"] if i + 1 < len(sections) and sections[i + 1]["start"] < s["end"] else s["end"]
        out.append({**s, "own": text[s["start"]:end]})
    return out


def _score(counts: Counter, weights: dict[str, float], length: int, avg: float) -> float:
    norm = K1 * (1 - B + B * length / max(avg, 1.0))
    return sum(weights[t] * n * (K1 + 1) / (n + norm) for t, n in counts.items())


def related(engine: Engine, report_id: str, index: int, top: int = TOP, per_report: int = PER_REPORT) -> Related | None:
    """Sections of other reports most like section ``index`` of ``report_id`` (None: no such section)."""
    report = engine.report(report_id)
    section = next((s for s in report["sections"] if s["index"] == index), None) if report else None
    if section is None:
        return None
    source = {"file": report_id, "title": report.get("title"), "agency": report.get("agency"),
              "year": report.get("year"), "index": index, "heading": section["heading"],
              "path": section["path"], "kinds": section["kinds"]}
    with engine.reading() as st:
        terms = key_terms(st, section["text"])
    out = Related(source, [t for t, _ in terms])
    if not terms:
        return out
    weights = dict(terms)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(weights, key=len, reverse=True)))
    scored = []
    for rid in similar_reports(engine, report_id, terms):
        other = engine.report(rid)
        if other is None:
            continue
        for s in own_sections(other):
            counts = Counter(pattern.findall(normalize_text(s["own"])))
            if counts:
                scored.append((counts, len(s["own"]), other, s))
    avg = sum(n for _, n, _, _ in scored) / len(scored) if scored else 1.0
    kinds = set(section["kinds"])

    def score(counts, length, s) -> float:
        return _score(counts, weights, length, avg) * (SAME_KIND if kinds & set(s["kinds"]) else 1.0)

    ranked = sorted(scored, key=lambda x: (-score(x[0], x[1], x[3]), x[2]["file"], x[3]["index"]))
    taken: Counter = Counter()
    for counts, length, other, s in ranked:
        if taken[other["file"]] >= per_report:
            continue
        taken[other["file"]] += 1
        out.related.append({
            "file": other["file"], "title": other.get("title"), "agency": other.get("agency"),
            "province": other.get("province"), "city": other.get("city"), "year": other.get("year"),
            "index": s["index"], "heading": s["heading"], "path": list(s["path"]), "kinds": list(s["kinds"]),
            "score": round(score(counts, length, s), 4), "excerpt": excerpt(s["own"], s["heading"]),
        })
        if len(out.related) >= top:
            break
    return out
