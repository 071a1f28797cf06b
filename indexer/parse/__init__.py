"""Indexer stage 2 (parse): report text → ``Report`` (cleaned text, metadata, section tree with kinds).

Steps, one module each: ``clean`` (clutter out, metadata fields kept) → ``sections`` (headings and tree) →
``meta`` (title, signature, year, dates; with ``dates``) and ``agency`` (agency, places, level, sector; with
``places``; an agency written without its place gets it from ``clues``, the page's address from ``address``)
→ ``kinds`` (level-1 sections by the national template); each metadata field keeps its evidence
(``Report.evidence``). ``indexer.model.Report`` is what comes out: the contract with the build stage.
``parse_file`` reads any supported file with ``indexer.readers.read_file`` first and applies the row of the
folder's ``metadata.csv`` last (``metafile``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

from indexer.model import EVIDENCE_FIELDS, Report
from indexer.parse import address, clues, kinds, metafile, places
from indexer.parse import agency as agencies
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

    number = clues.doc_number(lines)
    skip = set(number.lines) if number else set()  # a document number and its addressee line are no title
    # find_title reads the first 40 lines only
    top = [ln for i, ln in enumerate(cleaned.text.split("\n", 40)[:40]) if i not in skip]
    title = metadata.find_title(top, cleaned.fields, hints.get("title"))
    stitle = metadata.find_title([ln for i, ln in enumerate(lines) if i not in skip], cleaned.fields, hints.get("title"))
    if stitle:
        preamble = preamble.replace(stitle, "", 1)
    sig_agency, sig_date = metadata.find_signature(lines)
    agency_text = shadow
    if number:  # the addressee line (江西省人民政府：) names the reader, not the writer
        for i in number.lines:
            preamble = preamble.replace(lines[i], "", 1)
        agency_text = "\n".join("" if i in skip else ln for i, ln in enumerate(lines))
    weights, direct = places.context_counts(agency_text)
    url = hints.get("source_url") or address.find_url(text)
    found = agencies.choose_agency(stitle, cleaned.fields, sig_agency, preamble.strip(), hints.get("agency"),
                                   weights, agency_text)
    if found is None:
        found = _agency_from_number(number, shadow) or _agency_from_url(url) or _agency_from_we(shadow)
    agency, div, evidence = _place_agency(found, shadow, weights, direct, number, url)
    level, county = agencies.level_of(agency, div) if agency else (None, None)

    publish_date, doc_date, publish_ev = metadata.find_dates_evidence(cleaned.fields, hints.get("publish_date"),
                                                                      sig_date)
    level1 = [s for s in sections if s.level == 1]
    shadow_heads = [_strip_number(shadow[s.start : s.body_start]) for s in level1]
    year, *year_ev = metadata.work_year_evidence(stitle, preamble, shadow_heads, [publish_date, doc_date])
    bodies = [shadow[s.body_start : s.end][:300] for s in level1]
    for s, ks in zip(level1, kinds.classify(shadow_heads, bodies, year)):
        s.kinds = ks

    report = Report(
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
        source_url=url,
        sections=sections,
    )
    report.evidence = _evidence(report, evidence, year_ev if year is not None else None, publish_ev)
    return report


def _agency_from_number(number, shadow: str) -> agencies.Found | None:
    """A report sent under a document number (X政〔2024〕5号) that calls itself only 我市 / 我县: its government."""
    if number is None:
        return None
    m = re.search(r"我(市|县|区)", shadow)
    return agencies.Found((m.group(1) if m else "市") + number.kind, "doc_number", number.text)


def _agency_from_url(url: str | None) -> agencies.Found | None:
    """A report saying only 我局 on a page whose host names the agency type (gaj → 公安局)."""
    match = address.match_host(url)
    if match is None or not match.kind or not match.divisions:
        return None
    return agencies.Found(("省" if match.kind.endswith("厅") else "") + match.kind, "url", url)


# What a report that calls itself only 我局 / 我分局 / 我厅 is, by the words of its trade (most used wins).
_TRADE_WORDS = (
    ("公安", re.compile(r"公安|民警|警务|警情|派出所|刑事案件|治安")),
    ("司法", re.compile(r"司法|律师|公证|人民调解|法律援助|社区矫正")),
    ("市场监督管理", re.compile(r"市场监管|市场主体|食品安全|特种设备|知识产权|价格监督")),
    ("生态环境", re.compile(r"生态环境|环境执法|排污|污染防治|环评")),
)
_WE_FORMS = {"我分局": ("区", "分局"), "我厅": ("省", "厅"), "我局": ("", "局")}


def _agency_from_we(shadow: str) -> agencies.Found | None:
    """A report naming no agency at all, only 我局 / 我分局 / 我厅: an agency of its trade (evidence ``inferred``),
    whose place the clues may then give (我分局 + 公安 → 区公安分局)."""
    we = next((w for w in _WE_FORMS if w in shadow), None)
    if we is None:
        return None
    counts = [(len(rx.findall(shadow)), trade) for trade, rx in _TRADE_WORDS]
    n, trade = max(counts)
    if not n or sorted(counts)[-2][0] == n:
        return None
    head, tail = _WE_FORMS[we]
    name = head + trade + (("分局" if trade == "公安" else "局") if tail == "分局" else tail)
    return agencies.Found(name, "inferred", f"{we} … {trade} ×{n}")


def _place_agency(found, shadow, weights, direct, number, url):
    """(agency, division, evidence of agency / place / sector) for the agency name as the report gives it: a
    name without any place gets one from the context clues (``clues.find_place``), else from the place the
    text names most (evidence ``inferred``)."""
    if found is None:
        return None, None, {}
    note = None
    if not places.gazetteer().mentions(found.name):
        clue, note = clues.find_place(shadow, found.name, weights, number, url)
        if clue is not None:
            agency = agencies.official_name(clues.with_place(found.name, clue.division))
            where = {"source": clue.source, "text": clue.text}
            if _unsupported_namesake(clue.division, weights):
                where["uncertain"] = True
            return agency, clue.division, {"agency": _ev(found) if found.source == "inferred" else where,
                                           "place": where, "sector": _ev(found)}
    agency = agencies.complete(found.name, weights, direct)
    div = places.resolve(agency, weights)
    if agency != found.name and not places.gazetteer().mentions(found.name):
        place = {"source": "inferred", "text": "the place the text names most: " + agency}
    else:
        place = _ev(found)
    if div is not None and _unsupported_namesake(div, weights):
        place = {**place, "uncertain": True}
    evidence = {"agency": place if place["source"] == "inferred" else _ev(found), "place": place,
                "sector": _ev(found)}
    if note and div is None:
        evidence["open"] = {"source": "url", "text": note, "uncertain": True}
    return agencies.official_name(agency), div, evidence


def _unsupported_namesake(div: places.Division, weights) -> bool:
    """A county-level place with a namesake elsewhere (four 鼓楼区) that the text does not place: no city or
    province of it is named."""
    if div.rank != 3:
        return False
    gaz = places.gazetteer()
    namesakes = [d for d, q in gaz.aliases.get(div.name, []) if q == 2 and d.code != div.code]
    return bool(namesakes) and not any(weights.get(a.code, 0) for a in gaz.ancestors(div))


def _ev(found) -> dict:
    return {"source": found.source, "text": (found.text or found.name)[:120]}


def _evidence(report: Report, found: dict, year_ev, publish_ev) -> dict:
    """Report.evidence: each field with a value, where it was read (``indexer.model.EVIDENCE_FIELDS``)."""
    out = {}
    for name in EVIDENCE_FIELDS:
        value = getattr(report, name)
        if name in ("province", "city", "county", "level"):
            ev = found.get("place")
        elif name == "year":
            ev = {"source": year_ev[0], "text": year_ev[1]} if year_ev else None
        elif name == "publish_date":
            ev = {"source": publish_ev[0], "text": publish_ev[1]} if publish_ev else None
        else:
            ev = found.get(name)
        if value is not None and ev:
            out[name] = dict(ev)
        elif value is None and name in ("province", "city") and "open" in found:
            out[name] = dict(found["open"])  # same-sounding places the address leaves open
    return out


def _city(div: places.Division | None, level: str | None) -> str | None:
    # LABELS.md: for a municipality the city is the municipality itself — for its own bureau
    # (上海市公安局, provincial level) as for its districts; None for a province's own agency.
    return places.city_label(div)


def parse_file(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Report:
    """Read and parse one report file; ``Report.file`` is the path relative to ``root`` (posix) if given.

    The row for the file in the ``metadata.csv`` beside it (``metafile``) overrides what the parser finds, and
    its ``url`` is the page's address the parser reads."""
    from indexer.readers import read_file

    doc = read_file(path)
    if root is not None:
        file = PurePath(os.path.relpath(Path(path), Path(root))).as_posix()
    else:
        file = str(path)
    row = metafile.row_for(path, root)
    meta = dict(doc.meta)
    if row and row.get("url"):
        meta["source_url"] = row["url"]
    return metafile.apply(parse_text(doc.text, file=file, meta=meta), row)
