"""Weak spans (shared contract, computed at build time): the parts of a report's text where a term is
usually only a label, so that ranking (``search.ranking``) weighs its matches there less.

The genre's own devices, found with regular expressions on the report's exact text as slots
(``search.grams.slot_text``, so offsets are gram positions), never with jieba and never with a word list
of one report:
- ``TITLE``: a cited title 《…》 (a law, a plan, a document);
- ``LIST``: a run of three or more short items separated by 、 (tasks, laws, fields named one after another);
- ``PURPOSE``: a purpose clause tacked onto a measure (……，推动/确保/提升……。), or a problem stated
  against a slogan (与……的要求还有差距);
- ``SLOGAN``: the standard guiding formulas (坚持以……为指导, 深入学习贯彻……精神);
- ``INTRO`` (given by the caller, from the sections): the overview text of a section with sub-sections.

``spans(exact)`` gives non-overlapping (start, end, kind) runs, a stronger kind (lower weight) winning where
two overlap; ``pack``/``unpack`` store them on the head document as one int32 column (the exact text's
length in slots first: ranking needs the last section's length). A report's opening (the text before its
first section) is weak as a whole; ranking knows it from the section table.
"""

from __future__ import annotations

import re
from array import array

import numpy as np

from search.analysis import normalize_text
from search.grams import slot_text

TITLE, LIST, PURPOSE, SLOGAN, INTRO = 1, 2, 3, 4, 5
NAMES = {TITLE: "title", LIST: "list", PURPOSE: "purpose", SLOGAN: "slogan", INTRO: "intro"}

_ITEM = r"(?:《[^《》\n]{1,40}》|[^、,。;:!?\n()《》“”\"]{1,12})"
ITEM_MAX = 42  # characters an item of a list may take at most (a title: 《, 40, 》)
PATTERNS = (  # weakest last: it wins where spans overlap
    (PURPOSE, re.compile(r"(?<=,)(?:有力|有效|切实|不断|进一步|全面|持续|大力|积极|努力|以)?"
                         r"(?:推动|促进|助推|推进|提升|提高|确保|助力|保障|维护|实现|营造|形成|增强|夯实)"
                         r"[^,。;!?\n]{1,30}(?=[。;!?\n]|$)")),
    # 与……要求/期待还有差距: a problem stated against a slogan
    (PURPOSE, re.compile(r"(?:与|同|距离|离)[^,。;!?\n]{1,30}(?:要求|期待|期盼|期望|标准|目标)[^,。;!?\n]{0,6}差距")),
    (LIST, re.compile(rf"{_ITEM}(?:、{_ITEM}){{2,}}")),
    (SLOGAN, re.compile(r"(?:坚持以|以|深入学习贯彻|全面贯彻|认真贯彻|深入贯彻|贯彻落实|全面落实)[^,。;!?\n]{1,30}"
                        r"(?:为指导|为引领|为统领|为中心|为主线|精神|决策部署)")),
    (TITLE, re.compile(r"《[^《》\n]{1,80}》")),
)
LIST_PATTERN = next(pattern for kind, pattern in PATTERNS if kind == LIST)
_LIST_MARK = re.compile("、")


def spans(exact: str, given=()) -> tuple[int, list[tuple[int, int, int]]]:
    """(length in slots, weak runs (start, end, kind)) of a report's exact text; ``given`` spans (start, end,
    kind) first, any pattern's span winning over them."""
    slots = slot_text(normalize_text(exact))
    kinds = np.zeros(len(slots), dtype=np.int8)
    for a, b, kind in given:
        kinds[a:b] = kind
    for kind, pattern in PATTERNS:
        for m in (list_matches(slots) if kind == LIST else pattern.finditer(slots)):
            kinds[m.start():m.end()] = kind
    change = np.flatnonzero(np.diff(np.concatenate([[0], kinds, [0]])))
    runs = [(int(a), int(b), int(kinds[a])) for a, b in zip(change[:-1], change[1:]) if kinds[a]]
    return len(slots), runs


def list_matches(slots: str):
    """The LIST pattern's matches in ``slots``, as ``finditer`` over the whole text finds them, but searched only
    where two 、 sit at most one item apart: a list of three items holds two, and it reaches at most one item
    before its first and after its last (the pattern has no anchors or lookarounds, so a search bounded to such
    a stretch finds there what the whole search does). Tried at every position of a report, the pattern took
    most of the weak spans' time."""
    marks = [m.start() for m in _LIST_MARK.finditer(slots)]
    reach = ITEM_MAX + 1
    start = end = None
    for a, b in zip(marks, marks[1:]):
        if b - a > reach:
            continue
        if start is not None and a - reach <= end:
            end = b + reach
            continue
        if start is not None:
            yield from LIST_PATTERN.finditer(slots, start, end)
        start, end = max(a - reach, 0), b + reach
    if start is not None:
        yield from LIST_PATTERN.finditer(slots, start, end)


def pack(length: int, runs) -> bytes:
    return array("i", [length, *(x for run in runs for x in run)]).tobytes()


def unpack(data: bytes) -> tuple[int, list[tuple[int, int, int]]]:
    values = array("i", data or b"")
    if not values:
        return 0, []
    return values[0], [tuple(values[i:i + 3]) for i in range(1, len(values) - 2, 3)]
