"""The build's workers (indexer.build.worker): one corpus file → its Whoosh documents and the summary the
manifest keeps, or a failed result with the reason a user reads; a parser bug on one file is that file's
failure, not the build's. (Builds with 1 and 2 workers give the same index: tests/test_build.py.)"""

from __future__ import annotations

import pytest

import indexer.parse
from build_helpers import SEEDS, make_corpus
from indexer.build.worker import FileResult, parse_one, summarize
from search.schema import section_documents


def test_a_report_gives_its_documents_and_its_summary(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    report = indexer.parse.parse_file(corpus / SEEDS[0].name, root=corpus).to_dict()
    result, docs = parse_one(str(corpus), SEEDS[0].name)
    expected = FileResult(SEEDS[0].name, True, None, summarize(report), SEEDS[0].stat().st_size)
    assert (expected, section_documents(report)) == (result, docs)


def test_summary_is_what_stats_counts():
    report = {"title": "T", "agency": "A", "province": "P", "city": None, "county": None, "level": "city",
              "sector": "police", "year": 2021, "publish_date": "2022-01-01", "text": "…",
              "sections": [{"kinds": ["问题不足"]}, {"kinds": ["举措成效", "问题不足"]}, {"kinds": []}]}
    assert {"title": "T", "agency": "A", "province": "P", "city": None, "county": None, "level": "city",
            "sector": "police", "year": 2021, "kinds": ["举措成效", "问题不足"], "sections": 3} == summarize(report)


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("fake.pdf", b"this is not a pdf", "not a valid .pdf file (damaged?)"),
])
def test_an_unreadable_file_gives_its_reason_and_no_documents(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    assert (FileResult(name, False, reason, None, len(data)), []) == parse_one(str(tmp_path), name)


def test_a_parser_bug_fails_that_file_only(tmp_path, monkeypatch):
    def broken(path, root=None):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(indexer.parse, "parse_file", broken)
    (tmp_path / "a.txt").write_text("报告", encoding="utf-8")
    expected = FileResult("a.txt", False, "cannot parse: ZeroDivisionError: division by zero", None, 6)
    assert (expected, []) == parse_one(str(tmp_path), "a.txt")
