"""Indexer stage 2 (parse), meta: cleaned text + clutter fields + file hints → title, signature, year, dates.

The agency, its places, level and sector are found by ``agency``. Everything here reads the
simplified-script shadow of the text, so traditional-script reports are read by the same rules.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from indexer.parse.agency import ANY_OFFICE, office
from indexer.parse.dates import DATE_RE, YEAR, is_date_line, parse_date
from indexer.parse.sections import CN_DIGITS

_OPENING_YEAR = re.compile(r"(?:^|[。；;：:\n])\s*(?:今年|自|从)?(20\d\d)\s*年(?:度)?(?:以来|来|[，,]|是|里|全年|，)")
_REPORTING = re.compile(r"现将[^。；;]{0,20}?(20\d\d)\s*年度?[^。；;]{0,30}?报告如下")
_TITLE_WORDS = re.compile(r"报告|总结|法治政府|依法行政|法治建设")
_NUMBERED = re.compile(rf"^[（(]?[{CN_DIGITS}\d]+[)）、.．]")
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]| - | — ).*$")


def _title_score(line: str) -> int:
    """How much ``line`` reads like a report's title (0 when it cannot be one)."""
    if len(line) > 80 or _NUMBERED.match(line) or re.search(r"[。；;]|[：:]$", line):
        return 0
    score = 2 * bool(re.search(r"报告|总结", line)) + 2 * bool(re.search(r"法治政府|依法行政|法治建设", line))
    return score + bool(YEAR.search(line)) + (len(line) >= 10)


def find_title(lines: list[str], fields: dict, hint: str | None) -> str | None:
    for key in ("标题", "名称"):
        if fields.get(key) and _TITLE_WORDS.search(fields[key]):
            return fields[key].strip()
    top = [ln for ln in lines[:40] if ln][:8]
    body = next((i for i, ln in enumerate(top) if _NUMBERED.match(ln)), len(top))  # the body has begun
    scores = [_title_score(ln) for ln in top[:body]]
    if scores and max(scores) >= 4:
        i = scores.index(max(scores))
        line, prev = top[i], top[i - 1] if i > 0 else ""
        if prev and len(prev) <= 30 and not re.search(r"[。，,：:；;|]", prev) and (
            ANY_OFFICE.search(prev) or (YEAR.search(prev) and not YEAR.search(line))
        ):
            return prev + line  # a title broken over two lines
        return line
    if hint:
        hint = _SITE_SUFFIX.sub("", hint.strip()) or hint.strip()
        if _TITLE_WORDS.search(hint):
            return hint
    first = top[0] if top else ""
    if first and len(first) <= 50 and not re.search(r"[。，,；;：:]", first) and not DATE_RE.search(first):
        if not _NUMBERED.match(first):
            return first
    return hint or None


def find_signature(lines: list[str]) -> tuple[str | None, str | None]:
    """(agency, date) written under the report's last paragraph."""
    tail = [ln for ln in lines if ln][-6:]
    agency = date = None
    for i in range(len(tail) - 1, -1, -1):
        line = tail[i]
        if date is None and is_date_line(line):
            date = parse_date(line)
            above = tail[max(0, i - 2) : i]
            for cand in reversed(above):
                if (name := office(cand)) and len(cand) <= 40:
                    agency = name
                    break
            break
        m = DATE_RE.search(line)
        if m and len(line) <= 45 and (name := office(line[: m.start()])):
            return name, parse_date(line)  # "汕头市公安局 2020年12月13日" on one line
    if agency is None and tail and len(tail[-1]) <= 30 and not re.search(r"[。，,]", tail[-1]):
        agency = office(tail[-1])
    return agency, date


def work_year(title: str | None, preamble: str, level1: list[str], dates: list[str | None]) -> int | None:
    """The year a report covers (``work_year_evidence`` without its evidence)."""
    return work_year_evidence(title, preamble, level1, dates)[0]


def work_year_evidence(title: str | None, preamble: str, level1: list[str],
                       dates: list[str | None]) -> tuple[int | None, str | None, str | None]:
    """(year, source, text): the year a report covers: its title's, else the year its opening starts with,
    else its first section's, else a year the opening ties down (the last year of a 纲要 it completes, a
    named meeting: ``tied_year``), else the year before its date (the same year for a date in November or
    December; evidence ``inferred``), else None: a year named in passing (a law's) is not the work year."""
    dated = [d for d in dates if d]
    limit = int(dated[0][:4]) if dated else 2100
    opening = re.sub(r"《[^》]*》|（[^）]*）|\([^)]*\)", "", DATE_RE.sub("", preamble))[:300]
    # A year that opens a sentence (2021年以来，/ 2021年，我局…) says more than one in passing (较2020年下降).
    leading = [m for m in _OPENING_YEAR.finditer(opening) if int(m.group(1)) <= limit]
    passing = [int(y) for y in YEAR.findall(opening) if int(y) <= limit]
    if title and (m := YEAR.search(title)):
        year = int(m.group(1))
        first = int(leading[0].group(1)) if leading else (passing[0] if passing else None)
        if dated and year == limit and int(dated[0][5:7]) <= 6 and first == year - 1:
            return year - 1, "body", _sentence(opening, leading[0].start(1) if leading else 0)
        return year, "title", title
    if leading:
        return int(leading[0].group(1)), "body", _sentence(opening, leading[0].start(1))
    if (m := _REPORTING.search(opening)) and int(m.group(1)) <= limit:
        return int(m.group(1)), "body", m.group(0)
    for heading in level1[:1]:
        if m := YEAR.search(heading):
            return int(m.group(1)), "body", heading
    tied = tied_year(preamble)
    if tied:
        return tied
    if dated:
        y, mo = int(dated[0][:4]), int(dated[0][5:7])
        return (y if mo >= 11 else y - 1), "inferred", dated[0]
    return None, None, None


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
    end = min(i for i in (text.find("。", at), text.find("\n", at), len(text)) if i >= 0)
    return text[start:end][:80]


_OUTLINE = re.compile(r"今年是[^。；;]{0,40}?《[^》]*?(20\d\d)\s*[-—–－~～至]\s*(20\d\d)\s*年?\s*[)）]?》[^。；;]{0,12}?(收官|开局|起步)之年")


def tied_year(text: str) -> tuple[int, str, str] | None:
    """(year, "body", sentence) when the opening ties its year down: 今年是《…纲要（2021—2025年）》的收官之年
    → 2025 (开局之年: the first year); 今年是党的二十大召开之年 → 2022 (events in ``data/year-events.json``)."""
    head = text[:400]
    if m := _OUTLINE.search(head):
        year = int(m.group(2) if m.group(3) == "收官" else m.group(1))
        return year, "body", m.group(0)
    for m in re.finditer(r"今年是([^。；;，,]{2,40}?)之年", head):
        for event, year in year_events().items():
            if event in m.group(1):
                return year, "body", m.group(0)
    return None


@lru_cache(maxsize=1)
def year_events() -> dict[str, int]:
    """Events that name their year (党的二十大 → 2022), longest first: ``data/year-events.json``."""
    raw = json.loads(resources.files("indexer").joinpath("data/year-events.json").read_text(encoding="utf-8"))
    return dict(sorted(raw["events"].items(), key=lambda kv: -len(kv[0])))


_PUBLISH_KEYS = ("发布日期", "发布时间", "公开日期", "时间", "日期", "发稿时间", "信息时间", "更新时间", "生成日期")
_WRITTEN_KEYS = ("成文日期", "发文日期", "印发日期")


def find_dates(fields: dict, hint: str | None, signature_date: str | None) -> tuple[str | None, str | None]:
    """(publish_date, doc_date)."""
    publish, doc_date, _evidence = find_dates_evidence(fields, hint, signature_date)
    return publish, doc_date


def find_dates_evidence(fields: dict, hint: str | None, signature_date: str | None):
    """(publish_date, doc_date, (source, text) of the publish date or None). 发布日期, 生成日期 and (where the
    page shows no other) 成文日期 are publish dates; a date under the signature is not."""
    written_key = next((k for k in _WRITTEN_KEYS if parse_date(fields.get(k))), None)
    written = parse_date(fields.get(written_key)) if written_key else None
    for key in _PUBLISH_KEYS:
        if publish := parse_date(fields.get(key)):
            return publish, signature_date or written, ("metadata_block", f"{key} {fields[key]}")
    if publish := parse_date(hint):
        return publish, signature_date or written, ("metadata_block", hint)
    if written:
        return written, signature_date or written, ("metadata_block", f"{written_key} {fields[written_key]}")
    return None, signature_date, None
