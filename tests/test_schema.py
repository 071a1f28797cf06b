"""search.schema: documents per section, the index layout, the format version check."""

import json

import pytest

from search import schema
from search.schema import IndexFormatError, IndexMissingError, create_index, open_index, section_documents
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
                "kinds": ["举措成效"], "text": "（一）执法规范\n执法记录仪。\n", "year": 2021, "province": "广东",
                "agency": "某市公安局"}
    assert expected == {k: sub[k] for k in expected}
    assert schema.kind_mask(["举措成效"]) == sub["kmask"]
    assert schema.NO_KIND == docs[0]["kmask"]
    assert docs[0]["exact"].startswith(REPORT["title"] + "\n某市公安局\n")


def test_section_documents_index_strings_across_a_mid_run_cut():
    text = "总述工作成效一是加强执法二是规范管理"
    report = make_report("c.txt", text)
    report["sections"] = [{"heading": "一是加强执法", "level": 3, "start": 6, "end": 12, "body_start": 8,
                           "kinds": [], "parent": None},
                          {"heading": "二是规范管理", "level": 3, "start": 12, "end": len(text), "body_start": 14,
                           "kinds": [], "parent": None}]
    docs = section_documents(report)
    assert text == "".join(d["text"] for d in docs)
    assert docs[1]["exact"].startswith("一是加强执法二是")


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
        stored = s.document(doc_id="a/b.txt#2")
    assert ("（一）执法规范", ["一、主要举措", "（一）执法规范"]) == (stored["heading"], stored["path"])
