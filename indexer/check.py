"""Indexer tool (``reports-index check``): which reports' metadata staff should look at, and a metadata.csv
pre-filled with the parser's guesses for them.

A field is listed when it is missing (agency, province, level, sector, year, publish_date always; the city and
county where the level calls for them) or rests only on weak evidence: ``inferred`` (a guess), an address
leaving same-sounding places open, a district with namesakes elsewhere that the text does not place, or a
place named once in the body. The csv (UTF-8 with a BOM, for Excel)
has ``indexer.parse.metafile.COLUMNS``; corrected and put back into the corpus folder as ``metadata.csv``, it
overrides the parser on the next build.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

from indexer.build.manifest import discover
from indexer.model import Report, uncertain
from indexer.parse import metafile, parse_file
from indexer.readers import ReadError

ALWAYS = ("agency", "province", "level", "sector", "year", "publish_date")


@dataclass
class Finding:
    file: str
    reasons: dict[str, str]  # field → why it needs a look
    report: Report | None = None  # the parser's guesses (None: the file could not be read)


@dataclass
class CheckResult:
    reports: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # malformed metadata.csv rows


def reasons_for(report: Report) -> dict[str, str]:
    """Why each of the report's fields needs a look (empty: none)."""
    out: dict[str, str] = {}
    needed = list(ALWAYS)
    if report.level in ("city", "district", "county"):
        needed.append("city")
    if report.level in ("district", "county"):
        needed.append("county")
    for name in ("agency", "province", "city", "county", "level", "sector", "year", "publish_date"):
        ev = report.evidence.get(name)
        value = getattr(report, name)
        if value is None:
            if name in needed or (ev and uncertain(ev)):
                out[name] = "missing" + (f" ({ev['text']})" if ev else "")
        elif ev and uncertain(ev):
            why = "guessed" if ev["source"] == "inferred" else "uncertain"
            out[name] = f"{why} ({ev['source']}: {ev['text']})"
        elif ev and ev["source"] == "body" and name in ("province", "city", "county") and _named_once(report, value):
            out[name] = f"named once in the body: {ev['text']}"
    return out


def _named_once(report: Report, value: str) -> bool:
    stem = value[:-1] if len(value) > 2 and value[-1] in "区县市旗" else value
    return report.text.count(stem) <= 1


def check(corpus: str | os.PathLike) -> CheckResult:
    """Parse every report of ``corpus`` and list those with a field that is missing or only guessed."""
    corpus = Path(corpus)
    result = CheckResult()
    for path in sorted(corpus.rglob(metafile.FILE_NAME)):
        if meta := metafile.load(path.parent):
            result.notes += meta.messages()
    for found in discover(corpus):
        result.reports += 1
        try:
            report = parse_file(found.path, root=corpus)
        except ReadError as e:
            result.findings.append(Finding(found.rid, {"file": f"cannot read: {e.reason}"}))
            continue
        if reasons := reasons_for(report):
            result.findings.append(Finding(found.rid, reasons, report))
    return result


def write_csv(result: CheckResult, out: str | os.PathLike) -> int:
    """Write the findings as a metadata.csv pre-filled with the parser's guesses; returns the rows written."""
    rows = 0
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(metafile.COLUMNS)
        for finding in result.findings:
            r = finding.report
            values = {"file": finding.file}
            if r is not None:
                values.update({k: getattr(r, k) for k in metafile.COLUMNS if k not in ("file", "url")})
                values["url"] = r.source_url
            writer.writerow(["" if values.get(k) is None else values[k] for k in metafile.COLUMNS])
            rows += 1
    return rows
