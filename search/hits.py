"""Hits (read side, after ranking): the reports of one page as dicts, with their matching sections.

Only the reports shown get sections. A section is read (its stored text) only where a term may start in it:
where the term's rarest gram sits in the report (``rarest_grams``, ``sections_with``). In that text the plan's
terms are found literally (``search.snippets.match_spans``: no jieba on stored text); a term of a 同句/同段
group counts only where its whole group is satisfied, a 章节: term only inside the heading. Sections are
ordered as ``search.ranking`` scored them (those holding every positive term first, then by score) and carry
their score and snippets (``search.snippets``: escaped there).
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np

from search.analysis import normalize, normalize_text, paragraph_spans, sentence_spans
from search.grams import SHIFT, GramPostings, gram_key
from search import ranking
from search.ranking import satisfies, section_scores
from search.snippets import match_spans, snippets, term_pattern

POSITION = (1 << SHIFT) - 1  # an address's position bits
HIT_FIELDS = ("agency", "province", "city", "county", "level", "sector", "year")  # from the columns


def hits(st, plan, shown: list[int], scores, scored=None, with_sections: bool = True) -> list[dict]:
    """The reports ``shown`` (ordinals, in page order) as hits; ``scores``: per report, or None (by year);
    ``scored``: their sections' scores (``search.ranking.SectionScores``; made here for the page if None).
    Each hit lists its best section and those scoring at least ``search.ranking.SHOWN_SHARE`` of the best
    section scored (of every listed report; sorted by year, of the page): a passing mention is left out."""
    rarest = rarest_grams(st, plan) if with_sections and shown else []
    if rarest and scored is None:
        page = np.zeros(st.size, dtype=bool)
        page[shown] = True
        scored = section_scores(st, plan, page)
    floor = ranking.SHOWN_SHARE * float(scored.score.max()) if rarest and len(scored.score) else 0.0
    out = []
    for r in shown:
        sections = report_sections(st, plan, r, rarest, scored.of_report(r), floor) if rarest else []
        out.append(report_hit(st, r, round(float(scores[r]), 4) if scores is not None else 0.0, sections))
    return out


def report_hit(st, r: int, score: float, sections: list[dict]) -> dict:
    meta = st.columns.reports[r]
    head = st.searcher.stored_fields(st.columns.report_docs[r][0])
    return {"file": meta["file"], "title": head.get("title"), **{name: meta[name] for name in HIT_FIELDS},
            "publish_date": head.get("publish_date"), "score": score, "sections": sections}


def rarest_grams(st, plan) -> list[tuple[int, GramPostings]]:
    """For each hit term (that has grams): its rarest gram's offset in it and postings."""
    out = []
    for grams in plan.grams:
        if grams:
            postings = [(rel, st.postings(gram_key(g))) for rel, g in grams]
            out.append(min(postings, key=lambda x: len(x[1].docs)))
    return out


def sections_with(st, r: int, rarest) -> set[int]:
    """Indexes of report r's sections (-1: title, agency or preamble) where a term may start: where
    its rarest gram sits in the report (``rarest_grams``). Only these sections' stored text is read."""
    head = np.array([st.columns.report_docs[r][0]], dtype=np.int64)
    sec_starts = st.columns.sections.starts[r]
    found: set[int] = set()
    for rel, p in rarest:
        for pos in (p.addresses(head) & POSITION).tolist():
            found.add(bisect_right(sec_starts, pos - rel) - 1)
    return found


def report_sections(st, plan, r: int, rarest, scored: dict[int, tuple[float, int]], floor: float = 0.0) -> list[dict]:
    """Report r's sections of the selected kinds that hold matches, by score (``scored``: section index →
    (score, bits of the hit terms held)), then in text order: those that answer the query by themselves
    (``search.ranking.satisfies``); where none does, those holding some of its terms. Past the first, a
    section scoring below ``floor`` is left out (a passing mention, see ``hits``)."""
    cols = st.columns
    candidates = sections_with(st, r, rarest)
    found = []
    for d in cols.report_docs[r]:
        sec = int(cols.doc_sec[d])
        if sec not in candidates or not cols.doc_mask[d] & plan.kmask:
            continue
        score, held = scored.get(sec, (0.0, 0))
        hit = section_hit(st.searcher.stored_fields(d), plan, sec, score)
        if hit is not None:
            whole = satisfies(plan.tree, {t for k, t in enumerate(plan.texts) if held >> k & 1})
            found.append((not whole, -score, sec, hit))
    found.sort(key=lambda x: x[:3])
    if found and not found[0][0]:
        found = [x for x in found if not x[0]]
    return [x[3] for x in found[:1] + [x for x in found[1:] if -x[1] >= floor]]


def section_hit(stored: dict, plan, sec: int, score: float) -> dict | None:
    """One section (its stored fields) as a hit's section with its ``score``, or None where none of its
    matches count."""
    text = stored.get("text") or ""
    folded = normalize(text)  # once per section: spans, phrases and scores share it
    spans = counted_spans(plan, text, stored, match_spans(text, plan.texts, folded))
    if not spans:
        return None
    heading = stored.get("heading") or ""
    return {"heading": heading, "path": list(stored.get("path") or []), "kinds": list(stored.get("kinds") or []),
            "matches": len(spans), "snippets": snippets(text, spans), "score": round(score, 4), "index": sec,
            "offsets": stored.get("offsets")}


def counted_spans(plan, text: str, stored: dict, spans: list) -> list:
    """The matches that count: a 同句/同段 term only where its whole group is satisfied in this text, a
    章节:/heading: term only inside the heading."""
    if plan.nears:
        allowed = plan.alone | satisfied_near_terms(text, plan.nears)
        spans = [sp for sp in spans if plan.texts[sp[2]] in allowed]
    if plan.in_heading:
        offs = stored.get("offsets") or {}
        hlen = offs.get("body_start", 0) - offs.get("own_start", offs.get("start", 0))
        spans = [sp for sp in spans if sp[2] not in plan.in_heading or sp[1] <= hlen]
    return spans


def satisfied_near_terms(text: str, nears) -> set[str]:
    """Terms of the 同句/同段 groups satisfied within this text."""
    norm = normalize_text(text)
    out: set[str] = set()
    for near in nears:
        pats = [term_pattern(t) for t in near.terms]
        units = sentence_spans(norm) if near.unit == "sentence" else paragraph_spans(norm)
        if any(all(p.search(norm, a, b) for p in pats) for a, b in units):
            out.update(near.terms)
    return out
