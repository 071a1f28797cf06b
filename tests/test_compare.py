"""search.compare on the seed index: exactly the top-level sections of the chosen kind, the query marked."""

import re
from itertools import combinations

import pytest

from indexer.parse import parse_file
from search.analysis import normalize_text
from search.compare import KINDS, MAX_REPORTS, compare, pick
from search.engine import QueryError, SearchRequest


@pytest.fixture(scope="module")
def parsed(corpus_dir, truth):
    return {t["file"]: parse_file(corpus_dir / t["file"], root=corpus_dir).to_dict() for t in truth}


def expected_sections(report: dict, kind: str) -> list[tuple[int, str, str]]:
    """(index, heading, text) of the parsed report's level-1 sections labelled ``kind``."""
    text = report["text"]
    return [(i, s["heading"], text[s["start"]:s["end"]]) for i, s in enumerate(report["sections"])
            if s["level"] == 1 and kind in s["kinds"]]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pair", list(combinations(range(5), 2)))
def test_compare_shows_exactly_the_sections_of_the_kind(engine, parsed, truth, kind, pair):
    ids = [truth[i]["file"] for i in pair]
    data = compare(engine, ids, kind).to_dict()
    assert ids == [r["file"] for r in data["reports"]]
    for report in data["reports"]:
        assert expected_sections(parsed[report["file"]], kind) == [
            (s["index"], s["heading"], s["text"]) for s in report["sections"]]


def test_labels_agree_with_the_hand_labels(engine, truth):
    for kind in KINDS:
        data = compare(engine, [t["file"] for t in truth[:4]], kind).to_dict()
        for seed, report in zip(truth, data["reports"]):
            labelled = [h for h, kinds in zip(seed["level1_headings"], seed["level1_kinds"]) if kind in kinds]
            assert len(labelled) == len(report["sections"])


@pytest.mark.parametrize("q, mode, strings", [
    ("执法", "exact", ["执法"]),
    ("执法 OR 问题", "exact", ["执法", "问题"]),
    ("执法 -信访", "exact", ["执法"]),
    ("执法记录仪", "words", ["执法记录仪"]),  # the user dictionary keeps it whole
    ("规范执法监督", "words", ["规范", "执法监督"]),
    ("标题:公安 执法", "exact", ["执法"]),
])
def test_matches_are_every_occurrence_of_the_query_terms(engine, truth, q, mode, strings):
    data = compare(engine, [truth[0]["file"], truth[1]["file"]], "问题不足", q, mode).to_dict()
    pattern = re.compile("|".join(strings))
    for report in data["reports"]:
        for section in report["sections"]:
            norm = normalize_text(section["text"])
            assert [list(m.span()) for m in pattern.finditer(norm)] == section["matches"]
        assert sum(len(s["matches"]) for s in report["sections"]) == report["matches"]


def test_unknown_report_is_listed_missing(engine, truth):
    data = compare(engine, [truth[0]["file"], "nothing.txt"], "问题不足").to_dict()
    assert (["nothing.txt"], [truth[0]["file"]]) == (data["missing"], [r["file"] for r in data["reports"]])


@pytest.mark.parametrize("kind, ids", [("其他", ["a", "b"]), ("问题", ["a", "b"]), ("问题不足", list("abcde"))])
def test_bad_kind_or_too_many_reports(engine, kind, ids):
    with pytest.raises(QueryError):
        compare(engine, ids, kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("province", ["广东", "浙江", ""])
def test_pick_takes_the_newest_reports_with_the_kind(engine, truth, kind, province):
    having = [t for t in truth
              if any(kind in k for k in t["level1_kinds"]) and (not province or t["province"] == province)]
    expected = [t["file"] for t in sorted(having, key=lambda t: (-t["year"], t["file"]))][:MAX_REPORTS]
    assert expected == pick(engine, SearchRequest(province=[province] if province else []), kind)


def test_pick_with_a_query_takes_the_best_matches(engine):
    request = SearchRequest(q="执法记录仪", kind=["问题不足"])
    assert [h["file"] for h in engine.search(request).hits][:MAX_REPORTS] == pick(engine, SearchRequest(q="执法记录仪"),
                                                                               "问题不足")
