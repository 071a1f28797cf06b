"""Indexer stage 2 (parse): report text → ``Report`` (cleaned text, metadata, section tree with kinds).

Steps, one module each: ``clean`` (clutter out, metadata fields kept) → ``sections`` (headings and tree) →
``meta`` (title, signature, year, dates; with ``dates``) and ``agency`` (agency, places, level, sector; with
``places``) → ``kinds`` (level-1 sections by the national template). ``indexer.model.Report`` is what comes
out: the contract with the build stage. ``parse_file`` reads any supported file with
``indexer.readers.read_file`` first.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from indexer.model import Report
from indexer.parse import agency as agencies
from indexer.parse import kinds, places
from indexer.parse import meta as metadata
from indexer.parse.clean import clean
from indexer.parse.sections import STYLES, build_sections


def _strip_number(heading: str) -> str:
    for _style, rx in STYLES:
        if m := rx.match(heading):
            return heading[m.end() :]
    return heading


def parse_text(text: str, file: str = "", meta: dict | None = None) -> Report:
    """Parse one report's text; ``meta`` holds hints the file states (title, publish_date, agency, source_url)."""
    hints = dict(meta or {})
    cleaned = clean(text)
    sections = build_sections(cleaned.text, cleaned.shadow)
    shadow = cleaned.shadow
    lines = shadow.split("\n")
    first = sections[0].start if sections else len(shadow)
    preamble = shadow[:first]

    # find_title reads the first 40 lines only
    title = metadata.find_title(cleaned.text.split("\n", 40)[:40], cleaned.fields, hints.get("title"))
    stitle = metadata.find_title(lines, cleaned.fields, hints.get("title"))
    if stitle:
        preamble = preamble.replace(stitle, "", 1)
    sig_agency, sig_date = metadata.find_signature(lines)
    weights, direct = places.context_counts(shadow)
    agency = agencies.find_agency(
        stitle, cleaned.fields, sig_agency, preamble.strip(), hints.get("agency"), weights, shadow, direct
    )
    div = places.resolve(agency, weights) if agency else None
    level, county = agencies.level_of(agency, div) if agency else (None, None)

    publish_date, doc_date = metadata.find_dates(cleaned.fields, hints.get("publish_date"), sig_date)
    level1 = [s for s in sections if s.level == 1]
    shadow_heads = [_strip_number(shadow[s.start : s.body_start]) for s in level1]
    year = metadata.work_year(stitle, preamble, shadow_heads, [publish_date, doc_date])
    bodies = [shadow[s.body_start : s.end][:300] for s in level1]
    for s, ks in zip(level1, kinds.classify(shadow_heads, bodies, year)):
        s.kinds = ks

    return Report(
        file=file,
        text=cleaned.text,
        title=title,
        agency=agency,
        province=div.province if div else None,
        city=_city(div, level),
        county=county,
        level=level,
        sector=agencies.sector_of(agency),
        year=year,
        publish_date=publish_date,
        doc_date=doc_date,
        source_url=hints.get("source_url"),
        sections=sections,
    )


def _city(div: places.Division | None, level: str | None) -> str | None:
    if div is None:
        return None
    if div.rank == 1:
        # LABELS.md: for a municipality the city is the municipality itself — for its own bureau
        # (上海市公安局, provincial level) as for its districts; None for a province's own agency.
        return div.province if div.is_municipality else None
    return div.city


def parse_file(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Report:
    """Read and parse one report file; ``Report.file`` is the path relative to ``root`` (posix) if given."""
    from indexer.readers import read_file

    doc = read_file(path)
    if root is not None:
        file = PurePath(os.path.relpath(Path(path), Path(root))).as_posix()
    else:
        file = str(path)
    return parse_text(doc.text, file=file, meta=doc.meta)
