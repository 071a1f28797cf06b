"""search.schema: documents per section, the index layout, the format version check."""

import json
from array import array

import pytest

from search import compression, schema
from search.schema import (IndexFormatError, IndexMissingError, create_index, gram_source, open_index,
                           section_documents)
from search_helpers import build_index, make_report

TEXT = ("某市公安局2021年法治政府建设年度报告\n前言部分。\n"
        "一、主要举措\n总体。\n（一）执法规范\n执法记录仪。\n（二）队伍建设\n培训。\n"
        "二、存在问题\n问题。\n")
REPORT = make_report("a/b.txt", TEXT, kinds={"一、主要举措": ["举措成效"], "二、存在问题": ["问题不足"]},
                     title="某市公安局2021年法治政府建设年度报告", agency="某市公安局", province="广东",
                     city="某市", level="city", sector="police", year=2021, publish_date="2022-01-05")


def test_section_documents_partition_the_text():
    docs = section_documents(REPORT)
    assert TEXT == "".join(d["text"] for d in docs)
    assert [-1, 0, 1, 2, 3] == [d["sec_index"] for d in docs]
    assert {"a/b.txt"} == {d["report_id"] for d in docs}
    assert len(docs) == len({d["doc_id"] for d in docs})


def test_section_documents_fields():
    docs = section_documents(REPORT)
    sub = docs[2]
    expected = {"heading": "（一）执法规范", "path": ["一、主要举措", "（一）执法规范"], "sec_level": 2,
                "kinds": ["举措成效"], "text": "（一）执法规范\n执法记录仪。\n", "report_id": "a/b.txt"}
    assert expected == {k: sub[k] for k in expected}
    assert ({"year": 2021, "province": "广东", "agency": "某市公安局"}
            == {k: docs[0][k] for k in ("year", "province", "agency")})
    assert not {"year", "province", "agency"} & set(sub)  # report metadata: on the head only
    assert schema.kind_mask(["举措成效"]) == sub["kmask"]
    assert schema.NO_KIND == docs[0]["kmask"]


def test_section_slots_point_at_section_starts_in_the_exact_field():
    from array import array

    from search.analysis import grams, normalize_text

    docs = section_documents(REPORT)
    head = docs[0]
    slots = array("i", head["slots"]).tolist()
    exact = gram_source(docs, head["slots"], [d["kmask"] for d in docs[1:]])["exact"]
    by_slot = {}
    for pos, gram, _, _ in grams(normalize_text(exact)):
        by_slot.setdefault(pos, gram)
    starts = [by_slot[p] + by_slot[p + 1] for p in slots[0::2]]
    bodies = [by_slot[p] for p in slots[1::2]]
    assert ["一、", "(一", "(二", "二、"] == starts
    assert ["\n"] * 4 == bodies


def test_gram_source_is_title_agency_and_whole_text_with_section_starts_and_kinds():
    docs = section_documents(REPORT)
    source = gram_source(docs, docs[0]["slots"], [d["kmask"] for d in docs[1:]])
    starts = array("i", docs[0]["slots"]).tolist()[0::2]
    assert {"exact": "\n".join([REPORT["title"], "某市公安局", TEXT]), "title": REPORT["title"],
            "section_starts": starts, "section_masks": [d["kmask"] for d in docs[1:]],
            "before_mask": schema.NO_KIND, "title_mask": schema.ALL_KINDS} == source
    assert all("exact" not in d for d in docs)


def test_open_index_directly_and_via_current(tmp_path):
    build_index(tmp_path / "gen-000001", [REPORT])
    with pytest.raises(IndexMissingError, match="reports-index build"):
        open_index(tmp_path)
    (tmp_path / "CURRENT").write_text("gen-000001\n")
    assert 5 == open_index(tmp_path).doc_count()
    assert 5 == open_index(tmp_path / "gen-000001").doc_count()


@pytest.mark.parametrize("setup", ["missing-dir", "empty-dir", "dangling-current"])
def test_missing_index(tmp_path, setup):
    path = tmp_path / "ix"
    if setup != "missing-dir":
        path.mkdir()
    if setup == "dangling-current":
        (path / "CURRENT").write_text("gen-000009")
    with pytest.raises(IndexMissingError, match="reports-index build CORPUS --index-dir"):
        open_index(path)


@pytest.mark.parametrize("content", [json.dumps({"format_version": schema.FORMAT_VERSION + 1}), "garbage", None])
def test_format_version_is_checked(tmp_path, content):
    create_index(tmp_path)
    if content is None:
        (tmp_path / schema.FORMAT_FILE).unlink()
    else:
        (tmp_path / schema.FORMAT_FILE).write_text(content)
    with pytest.raises(IndexFormatError, match="--rebuild"):
        open_index(tmp_path)


def test_reopened_index_keeps_documents(tmp_path):
    build_index(tmp_path, [REPORT])
    with open_index(tmp_path).searcher() as s:
        stored = schema.StoredReports(s)(0)
    assert [{k: d[k] for k in schema.STORED_FIELDS if k in d} for d in schema.section_documents(REPORT)] == stored
    assert ("（一）执法规范", ["一、主要举措", "（一）执法规范"]) == (stored[2]["heading"], stored[2]["path"])


def test_stored_fields_come_back_as_written_as_json_or_else_pickled(corpus_dir):
    """A report's stored fields (``pack_report``) come back equal: the seeds' as JSON; a value JSON cannot hold
    (a lone surrogate in text, a key that is no string) makes that report's a pickle, equal too."""
    from indexer.parse import parse_file

    for path in sorted(corpus_dir.glob("*.txt")):
        docs = schema.section_documents(parse_file(path, root=corpus_dir).to_dict())
        stored = [{k: d[k] for k in schema.STORED_FIELDS if k in d} for d in docs]
        packed = schema.pack_report(stored)
        assert compression.decompress(packed)[:1] == schema.STORED_JSON
        assert schema.unpack_report(packed) == stored
    for odd in ([{"text": "执法\ud800记录"}], [{"offsets": {1: 2}}]):
        packed = schema.pack_report(odd)
        assert compression.decompress(packed)[:1] == schema.STORED_PICKLE
        assert schema.unpack_report(packed) == odd
