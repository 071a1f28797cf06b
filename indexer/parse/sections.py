"""Indexer stage 2 (parse), sections: cleaned text → the section tree (headings, levels, offsets).

Numbering styles and their usual levels: 一、 (level 1), （一） (level 2), 1. / 1、 / （1） / ① / paragraph-initial
一是 (level 3). Roles are decided by the document's own numbering sequence, not by style alone:

- level 1 is the best run 一、二、三… in document order (a "一、" list inside a section that would break the
  run is not level 1); a lone ``1、`` standing where the run lacks 一 plays level 1 (a document that mixes
  ``1、`` with ``二、``); a document without 一、 headings may use standalone ``1.`` lines as level 1;
- level 2 is every （一） heading (a section may hold two runs, e.g. problems then plans);
- everything else numbered, and 一、 headings outside the level-1 run, is level 3.

A heading running into its text (``（一）加强领导。全年共…``) is the part up to the first 。/：/； (bounded);
the section still starts at the line. Kinds are assigned later (``kinds.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.model import Section

CN_DIGITS = "一二三四五六七八九十"
_CN = f"[{CN_DIGITS}]{{1,3}}"
STYLES = (
    ("cn", re.compile(rf"^(?:第({_CN})部分\s*[、．.，,：:]?|({_CN})\s*[、．.，,])\s*")),
    ("paren_cn", re.compile(rf"^[（(]\s*({_CN})\s*[）)]\s*[、．.]?\s*")),
    ("shi", re.compile(rf"^({_CN})是\s*[，,、：:]?\s*")),
    ("digit", re.compile(r"^(\d{1,2})\s*[、．.](?!\d)\s*")),
    ("paren_digit", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、．.]?\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
)
_SPACED_CN = re.compile(rf"^({_CN})\s+(?=\S)")  # "一 工作情况" on a short line
_INLINE_HEADING = re.compile(rf"(?<=[。：:；;！!])\s*(?={_CN}、)|(?<![第《〈（(])(?=[（(]{_CN}[）)])")
_STOP = re.compile(r"[。：:；;！!？?]")
# The characters a numbered heading can start with (besides decimal digits, the \d of the digit styles):
# other lines need not be tried against every style.
_HEAD_START = frozenset(CN_DIGITS + "第（(") | {chr(c) for c in range(ord("①"), ord("⑳") + 1)}
_NUMBER_CHARS = re.compile(rf"[{CN_DIGITS}\d①-⑳\s第]")  # what is left of a numbering is its punctuation
MAX_HEADING = 60


@dataclass
class Candidate:
    line: int
    style: str
    num: int
    start: int  # offset of the line in the text
    heading: str
    body_start: int
    standalone: bool  # the heading is the whole line
    sentence: bool = False  # the line reads as a sentence (ends in 。): a list item rather than a heading
    mark: str = ""  # the numbering's punctuation: 、 ． . （） …
    level: int = 0


def cn_number(s: str) -> int:
    """一 → 1, 十二 → 12, 3 / ３ (full width) → 3, ④ → 4; -1 for what is not a number."""
    if s in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(s) + 1
    if s.isdecimal():
        return int(s)
    if "十" not in s:
        return CN_DIGITS.index(s[0]) + 1 if len(s) == 1 else -1
    tens, _, ones = s.partition("十")
    value = (CN_DIGITS.index(tens) + 1 if tens else 1) * 10
    return value + (CN_DIGITS.index(ones) + 1 if ones else 0)


def _heading_span(line: str, prefix_end: int) -> int:
    """Where the heading ends inside ``line`` (an index; the body starts after the stop mark)."""
    rest = line[prefix_end:]
    m = _STOP.search(rest)
    if m and m.start() <= MAX_HEADING and m.end() < len(rest):
        return prefix_end + m.start()
    if len(line) <= 100:
        return len(line)
    comma = re.search(r"[，,]", rest[:40])
    return prefix_end + (comma.start() if comma else 40)


def _segments(lines: list[str], slines: list[str]):
    """(offset, text, shadow, next line or None) per line. A report pasted as one huge paragraph is cut
    before each inline 一、 (after a full stop) and （一）, so its headings are found where they stand."""
    blob = len(lines) < 10 and max(map(len, lines), default=0) > 1000
    offset = 0
    last = len(lines) - 1
    for i, (line, sline) in enumerate(zip(lines, slines)):
        cuts = [0]
        if blob and len(line) > 400:
            cuts = sorted({0, *(m.end() for m in _INLINE_HEADING.finditer(sline) if m.end() > 0)})
        if len(cuts) == 1:
            yield offset, line, sline, (lines[i + 1] if i < last else None)
        else:
            for a, b in zip(cuts, cuts[1:] + [len(line)]):
                yield offset + a, line[a:b], sline[a:b], None
        offset += len(line) + 1


def _numbered(line: str) -> bool:
    return any(rx.match(line) for _style, rx in STYLES)


def find_candidates(text: str, shadow: str) -> list[Candidate]:
    cands = []
    segments = _segments(text.split("\n"), shadow.split("\n"))
    for i, (offset, line, sline, nxt) in enumerate(segments):
        if not sline or (sline[0] not in _HEAD_START and not sline[0].isdecimal()):
            continue
        for style, rx in STYLES:
            m = rx.match(sline)
            if m:
                break
        else:
            m = _SPACED_CN.match(sline) if len(sline) <= 30 else None
            style = "cn"
        if not m:
            continue
        num = cn_number(next(g for g in m.groups() if g))
        cut = _heading_span(line, m.end())
        body = offset + cut
        if cut < len(line):
            body += 1 + (len(line[cut + 1 :]) - len(line[cut + 1 :].lstrip()))
        heading = line[:cut].rstrip("。：:；; ")
        if not line[m.end() :].strip() and nxt and len(nxt) <= MAX_HEADING and not _numbered(nxt):
            heading = line.strip() + nxt.strip()  # "一、" alone, its words on the next line
            body = offset + len(line) + 1 + len(nxt)
        if num > 0:
            mark = _NUMBER_CHARS.sub("", m.group(0))
            sentence = line.rstrip().endswith("。")
            cands.append(Candidate(i, style, num, offset, heading, body, cut >= len(line), sentence, mark))
    return cands


def best_run(cands: list[Candidate], score, restarts: list[Candidate] = ()) -> list[Candidate]:
    """The consecutive numbering run (1, 2, 3 …) with the highest total score, in document order.

    ``restarts`` are the headings numbered 1: a run that jumps over one that looks like its next member pays
    a penalty, and so does a run starting at a later 1, so a list nested in a section (一、二、 inside 三、)
    does not continue the document's own run.
    """
    best: list[float] = []
    prev: list[int | None] = []
    first_one = min((r.line for r in restarts), default=None)
    for i, c in enumerate(cands):
        def step(j: int) -> tuple[float, bool, int]:
            crossed = any(cands[j].line < r.line < c.line and _form(r) == _form(c) for r in restarts)
            return best[j] - (5.0 if crossed else 0.0), _form(cands[j]) == _form(c), j

        options = [step(j) for j in range(i) if cands[j].num == c.num - 1]
        if c.num == 1:
            start = score(c) - (5.0 if first_one is not None and c.line != first_one else 0.0)
        else:
            start = score(c) - 1.5
        if options and max(options)[0] + score(c) >= start:
            b, _same, j = max(options)
            best.append(b + score(c))
            prev.append(j)
        else:
            best.append(start)
            prev.append(None)
    if not cands:
        return []
    i: int | None = max(range(len(cands)), key=lambda k: (best[k], k))
    run = []
    while i is not None:
        run.append(cands[i])
        i = prev[i]
    return run[::-1]


def _form(c: Candidate) -> tuple:
    """How a heading looks: its numbering style and delimiter, whether it stands alone, whether it ends in 。."""
    return c.style, c.mark, c.standalone, c.sentence


def _isolated_digit(c: Candidate, cands: list[Candidate]) -> bool:
    """A standalone ``1、`` with no ``2、`` (or ``0、``) in the same stretch between 一、-style headings,
    filling a gap before the 一、-style heading numbered next (``1、`` … ``二、``)."""
    if not c.standalone or len(c.heading) > MAX_HEADING:
        return False
    lo = max((d.line for d in cands if d.style == "cn" and d.line < c.line), default=-1)
    hi = min((d.line for d in cands if d.style == "cn" and d.line > c.line), default=10**9)
    if not any(d.style == "cn" and d.line == hi and d.num == c.num + 1 for d in cands):
        return False
    return not any(
        d.style == "digit" and lo < d.line < hi and abs(d.num - c.num) == 1 for d in cands
    )


def _level1(cands: list[Candidate]) -> list[Candidate]:
    def score(c: Candidate) -> float:
        s = 2.0 if c.standalone and not c.sentence else 1.0
        return s if c.style == "cn" else s - 0.5

    pool = [c for c in cands if c.style == "cn" or (c.style == "digit" and _isolated_digit(c, cands))]
    restarts = [c for c in cands if c.style == "cn" and c.num == 1]
    run = best_run(pool, score, restarts)
    if not any(c.style == "cn" for c in run):
        # No 一、 headings: standalone 1. / 1、 lines may be the top level.
        pool = [c for c in cands if c.style == "digit" and c.standalone and len(c.heading) <= MAX_HEADING]
        run = best_run(pool, score, [c for c in pool if c.num == 1])
        first_l2 = min((c.line for c in cands if c.style == "paren_cn"), default=10**9)
        if len(run) < 2 or run[0].line > first_l2:
            run = []  # 1. 2. items under （一） headings are not the top level
    return run


def assign_levels(cands: list[Candidate]) -> list[Candidate]:
    level1 = _level1(cands)
    for c in level1:
        c.level = 1
    for c in cands:
        if c.style == "paren_cn" and not c.level:
            c.level = 2  # a second （一） run in one section is a second group of level-2 headings
    for c in cands:
        if not c.level:
            c.level = 3
    return cands


def build_sections(text: str, shadow: str) -> list[Section]:
    cands = assign_levels(find_candidates(text, shadow))
    sections: list[Section] = []
    open_at: dict[int, int] = {}  # level → index of the latest open section at that level
    for c in cands:
        parent = next((open_at[lv] for lv in range(c.level - 1, 0, -1) if lv in open_at), None)
        for lv in [lv for lv in open_at if lv >= c.level]:
            del open_at[lv]
        open_at[c.level] = len(sections)
        sections.append(Section(c.heading, c.level, c.start, len(text), c.body_start, [], parent))
    # A section ends where the next one of its level or above starts: one pass from the end.
    upcoming = {lv: len(text) for lv in {s.level for s in sections}}  # level → that start, so far
    for s in reversed(sections):
        s.end = upcoming[s.level]
        s.body_start = min(s.body_start, s.end)
        for lv in upcoming:
            if lv >= s.level:
                upcoming[lv] = s.start
    return sections
