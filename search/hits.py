"""Hits (read side, after ranking): the reports of one page as dicts, with their matching sections.

Only the reports shown get sections, and only the sections ``search.ranking`` scored (those holding a match)
and a hit will list are read (their stored text, through the generation's ``search.storedtexts`` cache): those that answer the query by themselves (every positive
term, ``search.ranking.satisfies``; where none does, those holding some), by score, past the first only those
scoring at least ``search.ranking.SHOWN_SHARE`` of the best section scored (a passing mention is left out); at
most ``SECTIONS_SHOWN`` of them, the rest counted (``sections_total``; the exports list them all).
In that text the plan's terms are found literally (``search.snippets.match_spans``: no jieba on stored text);
a term of a 同句/同段 group counts only where its whole group is satisfied, a 章节: term only inside the
heading. Sections carry their score and snippets (``search.snippets``: escaped there), and the number of each
snippet's paragraph in the report (``paragraphs``: the report page's ``#p-N``, from the section's stored
paragraph base, ``search.analysis.paragraph_at``; None before the first).
"""

from __future__ import annotations

import numpy as np

from search import ranking
from search.analysis import paragraph_at, paragraph_spans, sentence_spans
from search.ranking import satisfies, section_scores
from search.snippets import match_spans, placed_snippets, term_pattern
from search.storedtexts import StoredText

HIT_FIELDS = ("agency", "province", "city", "county", "level", "sector", "year")  # from the columns
SECTIONS_SHOWN = 5  # sections a hit lists with snippets, best first; the rest are counted (``sections_total``)


def hits(st, plan, shown: list[int], scores, scored=None, with_sections: bool = True,
         every_section: bool = False, sections_shown: int = SECTIONS_SHOWN) -> list[dict]:
    """The reports ``shown`` (ordinals, in page order) as hits; ``scores``: per report, or None (by year);
    ``scored``: the sections' scores (``search.ranking.SectionScores`` of every listed report; made here
    for the page if None, as when sorted by year). ``every_section``: list every section with a counted
    match (no floor, partial ones too, still best first), as the CSV / Excel exports do."""
    with_sections = with_sections and bool(shown) and any(plan.grams)
    if with_sections and scored is None:
        page = np.zeros(st.size, dtype=bool)
        page[shown] = True
        scored = section_scores(st, plan, page)
    floor = (ranking.SHOWN_SHARE * float(scored.score.max())
             if with_sections and not every_section and len(scored.score) else 0.0)
    out = []
    for r in shown:
        sections, total = (report_sections(st, plan, r, scored.of_report(r), floor, every_section, sections_shown)
                           if with_sections else ([], 0))
        out.append(report_hit(st, r, round(float(scores[r]), 4) if scores is not None else 0.0, sections, total))
    return out


def report_hit(st, r: int, score: float, sections: list[dict], sections_total: int | None = None) -> dict:
    """``sections_total``: how many sections the hit would list uncapped (``SECTIONS_SHOWN``)."""
    meta = st.columns.reports[r]
    head = st.texts.get(st.columns.report_docs[r][0]).fields
    return {"file": meta["file"], "title": head.get("title"), **{name: meta[name] for name in HIT_FIELDS},
            "publish_date": head.get("publish_date"), "score": score, "sections": sections,
            "sections_total": len(sections) if sections_total is None else sections_total}


def listed_sections(plan, scored: dict[int, tuple[float, int]], kinds: dict[int, int],
                    every: bool = False) -> list[tuple]:
    """(section index, score) of the sections a hit may list, in order, from ``scored`` (section index →
    (score, bits of the hit terms held)) and ``kinds`` (section index → kind bits): those of the selected
    kinds answering the query by themselves, or where none does those holding some terms; by score, then in
    text order. The caller stops at the floor, past the first section that holds a countable match (one may
    hold none: a 同句 group split across sentences). ``every``: the partial ones too, after the whole ones."""
    ranked = []
    for sec, (score, held) in scored.items():
        if sec not in kinds or not kinds[sec] & plan.kmask:
            continue
        whole = satisfies(plan.tree, {t for k, t in enumerate(plan.texts) if held >> k & 1})
        ranked.append((not whole, -score, sec))
    ranked.sort()
    if ranked and not ranked[0][0] and not every:
        ranked = [x for x in ranked if not x[0]]
    return [(sec, -neg) for _, neg, sec in ranked]


def report_sections(st, plan, r: int, scored: dict[int, tuple[float, int]], floor: float = 0.0,
                    every: bool = False, shown: int = SECTIONS_SHOWN) -> tuple[list[dict], int]:
    """Report r's sections as a hit lists them (``listed_sections``), read from their stored fields: the first
    ``shown`` (all of them when ``every``), and how many it lists in all. Past the first ``shown`` a section the
    index says holds a match is counted unread, except where a match it holds may not count (a 同句/同段 group,
    a heading scope, the title or agency only, on the head document): those are read and checked."""
    cols = st.columns
    docs = {int(cols.doc_sec[d]): d for d in cols.report_docs[r]}
    out, total = [], 0
    checked = bool(plan.nears or plan.in_heading)
    kinds = {sec: int(cols.doc_mask[d]) for sec, d in docs.items()}
    for sec, score in listed_sections(plan, scored, kinds, every):
        if total and score < floor:
            break
        showing = every or len(out) < shown
        if showing or checked or sec < 0:
            hit = section_hit(st.texts.get(docs[sec]), plan, sec, score)
            if hit is None:
                continue
            if showing:
                out.append(hit)
        total += 1
    return out, total


def section_hit(item: StoredText, plan, sec: int, score: float) -> dict | None:
    """One section (its stored fields and text, ``search.storedtexts``) as a hit's section with its ``score``,
    or None where none of its matches count."""
    stored, text = item.fields, item.text
    spans = counted_spans(plan, item.folded[0], stored, match_spans(text, plan.texts, item.folded))
    if not spans:
        return None
    heading = stored.get("heading") or ""
    offsets = stored.get("offsets")
    placed = placed_snippets(text, spans, sentences=item.sentences)
    base = (offsets or {}).get("para")
    return {"heading": heading, "path": list(stored.get("path") or []), "kinds": list(stored.get("kinds") or []),
            "matches": len(spans), "snippets": [shown for _, shown in placed],
            "paragraphs": [(paragraph_at(item.paragraphs, base, at) or None) if base is not None else None
                           for at, _ in placed],
            "score": round(score, 4), "index": sec, "offsets": dict(offsets) if offsets is not None else None}


def counted_spans(plan, norm: str, stored: dict, spans: list) -> list:
    """The matches that count: a 同句/同段 term only where its whole group is satisfied in this text (``norm``:
    its folded form), a 章节:/heading: term only inside the heading."""
    if plan.nears:
        allowed = plan.alone | satisfied_near_terms(norm, plan.nears)
        spans = [sp for sp in spans if plan.texts[sp[2]] in allowed]
    if plan.in_heading:
        offs = stored.get("offsets") or {}
        hlen = offs.get("body_start", 0) - offs.get("own_start", offs.get("start", 0))
        spans = [sp for sp in spans if sp[2] not in plan.in_heading or sp[1] <= hlen]
    return spans


def satisfied_near_terms(norm: str, nears) -> set[str]:
    """Terms of the 同句/同段 groups satisfied within a text (``norm``: folded, ``search.analysis.normalize``)."""
    out: set[str] = set()
    for near in nears:
        pats = [term_pattern(t) for t in near.terms]
        units = sentence_spans(norm) if near.unit == "sentence" else paragraph_spans(norm)
        if any(all(p.search(norm, a, b) for p in pats) for a, b in units):
            out.update(near.terms)
    return out
