"""search.compliance on the seed index, checked against the hand labels (tests/fixtures/truth.jsonl)."""

from __future__ import annotations

import datetime as dt

import pytest

from search.compliance import PARTS, cell_state, compliance, deadline, on_time
from search.engine import QueryError, SearchRequest
from search.matrix import matrix


def labelled_row(t: dict) -> dict:
    """What the labels say a report's row is: parts from its level-1 kinds, art. 24's deadline."""
    kinds = {k for ks in t["level1_kinds"] for k in ks}
    published = t["publish_date"]
    due = dt.date(t["year"] + 1, 4, 1)  # made public before 1 April of the next year
    return {"file": t["file"], "agency": t["agency"], "year": t["year"], "publish_date": published,
            "on_time": None if published is None else dt.date.fromisoformat(published) < due,
            "parts": {k: k in kinds for k in PARTS}, "missing": [k for k in PARTS if k not in kinds]}


def test_each_seed_report_is_judged_as_its_labels_say(engine, truth):
    result = compliance(engine, SearchRequest()).to_dict()
    keys = ("file", "agency", "year", "publish_date", "on_time", "parts", "missing")
    assert sorted((labelled_row(t) for t in truth), key=lambda r: r["file"]) == sorted(
        ({k: r[k] for k in keys} for r in result["reports"]), key=lambda r: r["file"])
    assert all(r["deadline"] == f"{r['year'] + 1}-03-31" for r in result["reports"])


def test_the_summary_counts_the_rows(engine, truth):
    rows = [labelled_row(t) for t in truth]
    summary = compliance(engine, SearchRequest()).to_dict()["summary"]
    assert {"reports": len(rows), "complete": sum(1 for r in rows if not r["missing"]),
            "on_time": sum(1 for r in rows if r["on_time"] is True),
            "late": sum(1 for r in rows if r["on_time"] is False),
            "date_unknown": sum(1 for r in rows if r["on_time"] is None),
            "missing": {k: sum(1 for r in rows if k in r["missing"]) for k in PARTS}} == summary


@pytest.mark.parametrize("year, published, expected", [
    (2022, "2023-03-31", True),  # the last day allowed
    (2022, "2023-04-01", False),  # 1 April itself is too late ("4月1日之前")
    (2022, "2022-12-30", True),
    (2022, "2024-01-05", False),
    (2022, None, None),
    (2022, "2023-02-30", None),  # not a date: unknown, not late
    (None, "2023-03-01", None),
])
def test_on_time_at_the_boundary(year, published, expected):
    assert expected is on_time(published, year)


def test_deadline_is_the_last_day_allowed():
    assert ("2021-03-31", None) == (deadline(2020), deadline(None))


def test_filters_and_facets_are_those_of_search(engine, truth):
    request = SearchRequest(province=["广东"], year_from=2020, year_to=2021)
    result = compliance(engine, request).to_dict()
    search = engine.search(SearchRequest(province=["广东"], year_from=2020, year_to=2021, limit=100))
    assert sorted(t["file"] for t in truth if t["province"] == "广东" and 2020 <= t["year"] <= 2021) == sorted(
        r["file"] for r in result["reports"])
    assert search.facets == result["facets"]
    assert (["广东"], 2020, 2021) == (result["filters"]["province"], result["filters"]["year_from"],
                                      result["filters"]["year_to"])


def test_sorts(engine):
    by_gaps = compliance(engine, SearchRequest(), "gaps").reports
    assert sorted(by_gaps, key=lambda r: -len(r["missing"])) == by_gaps
    by_date = [r["publish_date"] or "9999" for r in compliance(engine, SearchRequest(), "publish_date").reports]
    assert sorted(by_date) == by_date
    with pytest.raises(QueryError):
        compliance(engine, SearchRequest(), "nonsense")


def test_matrix_cells_carry_the_state_of_their_reports(engine):
    rows = compliance(engine, SearchRequest()).reports
    grid = matrix(engine, SearchRequest(), "agency").to_dict()
    for row in grid["table"]:
        for cell in row["cells"]:
            here = [r for r in rows if r["agency"] == row["key"]["agency"] and r["year"] == cell["year"]]
            assert cell_state(here) == cell["compliance"]
        assert cell_state([r for r in rows if r["agency"] == row["key"]["agency"]]) == row["compliance"]
    assert cell_state(rows) == grid["totals"]["compliance"]


@pytest.mark.parametrize("rows, expected", [
    ([], {"state": None, "late": 0, "incomplete": 0, "date_unknown": 0}),
    ([{"on_time": True, "missing": []}], {"state": "ok", "late": 0, "incomplete": 0, "date_unknown": 0}),
    ([{"on_time": None, "missing": []}], {"state": "unknown", "late": 0, "incomplete": 0, "date_unknown": 1}),
    ([{"on_time": False, "missing": []}, {"on_time": True, "missing": ["下年安排"]}],
     {"state": "late_incomplete", "late": 1, "incomplete": 1, "date_unknown": 0}),
])
def test_cell_state(rows, expected):
    assert expected == cell_state(rows)
