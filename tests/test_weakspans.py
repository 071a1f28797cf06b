"""search.weakspans: cited titles, lists of short items, purpose clauses and slogans, in gram positions."""

import pytest

from search.grams import slot_text
from search.analysis import normalize_text
from search.weakspans import LIST, PURPOSE, SLOGAN, TITLE, pack, spans, unpack


@pytest.mark.parametrize("text, expected", [
    ("认真学习《行政复议法》。", [("《行政复议法》", TITLE)]),
    ("开展普法、信访、执法监督等工作。", [("开展普法、信访、执法监督等工作", LIST)]),
    ("普法、信访工作。", []),  # two items are no list
    ("规范执法记录仪使用，推动执法规范化水平提升。", [("推动执法规范化水平提升", PURPOSE)]),
    ("坚持以习近平法治思想为指导，配备执法记录仪。", [("坚持以习近平法治思想为指导", SLOGAN)]),
    ("学习《宪法》《民法典》、行政处罚法、行政许可法。", [("《宪法》《民法典》", TITLE), ("、行政处罚法、行政许可法", LIST)]),
    ("全所配备执法记录仪80台，每月抽查回放。", []),
])
def test_spans(text, expected):
    length, runs = spans(text)
    slots = slot_text(normalize_text(text))
    assert (len(slots), expected) == (length, [(slots[a:b], k) for a, b, k in runs])


def test_positions_are_gram_positions():
    # a whitespace run is one position, as in the gram files
    assert (7, [(3, 7, TITLE)]) == spans("学习  \n\n 《宪法》")


def test_pack_unpack():
    assert (12, [(1, 3, TITLE), (5, 9, LIST)]) == unpack(pack(12, [(1, 3, TITLE), (5, 9, LIST)]))
    assert (0, []) == unpack(b"")


def _list_texts(corpus_dir):
    """The seed reports' slots, and made-up runs of 、-joined items (titles holding 、 and commas, items at the
    longest, chains broken by one long item, lists back to back) to stress the stretches' edges."""
    import random

    rng = random.Random(7)
    items = ["执法", "监督", "公开", "《行政处罚法》", "《关于推进法治、廉政建设的意见,试行》", "x" * 12, "y" * 13,
             "《" + "法" * 40 + "》", "《" + "治" * 41 + "》", "要" * 30, ""]
    marks = ["、"] * 6 + [",", "。", "\n", "、、"]
    made = ["".join(rng.choice(items) + rng.choice(marks) for _ in range(rng.randint(1, 30))) for _ in range(400)]
    seeds = [slot_text(normalize_text(p.read_text(encoding="utf-8"))) for p in sorted(corpus_dir.glob("*.txt"))]
    return seeds + made


def test_list_spans_searched_near_their_marks_are_those_of_the_whole_text(corpus_dir):
    from search.weakspans import LIST_PATTERN, list_matches

    texts = _list_texts(corpus_dir)
    whole = [[m.span() for m in LIST_PATTERN.finditer(t)] for t in texts]
    assert whole == [[m.span() for m in list_matches(t)] for t in texts]
    assert sum(map(len, whole[-400:])) > 300  # the made-up runs hold lists of every sort
