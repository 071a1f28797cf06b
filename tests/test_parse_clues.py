"""indexer.parse.clues through indexer.parse.parse_file: the labelled metadata fixtures (tests/fixtures/metadata/),
one short report per context clue and trap, every labelled field and the source of its evidence."""

import json
from pathlib import Path

import pytest

from indexer.model import EVIDENCE_FIELDS, EVIDENCE_SOURCES
from indexer.parse import parse_file, parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "metadata"
LABELS = [json.loads(line) for line in (FIXTURES / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
FIELDS = ("agency", "province", "city", "county", "level", "sector", "year", "publish_date")


@pytest.fixture(scope="module")
def parsed() -> dict:
    return {label["file"]: parse_file(FIXTURES / label["file"]) for label in LABELS}


def test_every_fixture_is_labelled():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html")) == sorted(
        label["file"] for label in LABELS)


@pytest.mark.parametrize("label", LABELS, ids=[label["file"][:2] for label in LABELS])
def test_fixture_fields(parsed, label):
    report = parsed[label["file"]]
    assert {k: label[k] for k in FIELDS} == {k: getattr(report, k) for k in FIELDS}


@pytest.mark.parametrize("label", LABELS, ids=[label["file"][:2] for label in LABELS])
def test_fixture_evidence_sources(parsed, label):
    evidence = parsed[label["file"]].evidence
    assert label["evidence"] == {k: evidence.get(k, {}).get("source") for k in label["evidence"]}


@pytest.mark.parametrize("label", LABELS, ids=[label["file"][:2] for label in LABELS])
def test_evidence_for_every_field_with_a_value(parsed, label):
    report = parsed[label["file"]]
    with_value = {k for k in EVIDENCE_FIELDS if getattr(report, k) is not None}
    assert with_value <= set(report.evidence)
    assert all(ev["source"] in EVIDENCE_SOURCES and ev["text"] for ev in report.evidence.values())


def test_same_sounding_address_left_open_is_reported(parsed):
    evidence = parsed["13_url_ambiguous_open.txt"].evidence
    assert {"source": "url", "uncertain": True} == {k: evidence["city"][k] for k in ("source", "uncertain")}
    assert "福州市" in evidence["city"]["text"] and "抚州市" in evidence["city"]["text"]


def test_cited_title_of_a_superior_is_not_the_agency():
    text = ("市公安局2023年法治政府建设年度报告\n2023年，我局推进法治建设。\n一、主要举措\n"
            "（一）落实《河北省公安厅关于规范执法的意见》，借鉴《邢台市公安局关于涉企执法的规定》。\n")
    report = parse_text(text)
    assert ("邢台市公安局", "邢台", "cited_title") == (report.agency, report.city, report.evidence["city"]["source"])


def test_guiding_bureau_in_a_we_statement_is_not_the_agency():
    text = ("区公安分局2023年法治政府建设年度报告\n2023年，在徐州市公安局的领导下，我分局推进法治建设。\n"
            "一、主要举措\n（一）我分局在云龙区设立执法监督站，云龙区群众满意度提升。\n")
    report = parse_text(text)
    assert ("云龙区公安分局", "徐州", "云龙区", "district") == (report.agency, report.city, report.county, report.level)


def test_year_in_a_document_number_or_index_number_is_not_the_work_year():
    text = ("索引号 11320400/2025-00031 文号 常公〔2025〕7号\n市公安局法治政府建设工作报告\n"
            "今年来，我局以“平安常州”建设为抓手推进法治建设。\n一、主要举措\n")
    report = parse_text(text)
    assert (None, "常州") == (report.year, report.city)


def test_a_report_saying_only_we_gets_its_agency_from_the_address():
    text = "2023年法治政府建设年度报告\n2023年，我{}全面推进法治建设。\n一、主要举措\n"
    bureau = parse_text(text.format("局"), meta={"source_url": "http://gaj.yichang.gov.cn/a.html"})
    office = parse_text(text.format("厅"), meta={"source_url": "http://gat.zj.gov.cn/a.html"})
    assert [("宜昌市公安局", "湖北", "宜昌", "city", "url"), ("浙江省公安厅", "浙江", None, "provincial", "url")] == [
        (r.agency, r.province, r.city, r.level, r.evidence["agency"]["source"]) for r in (bureau, office)]


def test_a_district_with_namesakes_is_marked_uncertain_until_the_text_places_it():
    text = "鼓楼区公安分局2023年法治政府建设年度报告\n2023年，{}我局推进法治建设。\n一、主要举措\n"
    alone, placed = parse_text(text.format("")), parse_text(text.format("在福州市公安局的领导下，"))
    assert [("鼓楼区", True), ("福州", None)] == [
        (alone.county, alone.evidence["county"].get("uncertain")), (placed.city, placed.evidence["city"].get("uncertain"))]


def test_bureaus_and_places_we_work_with_are_not_our_own():
    text = ("市公安局2023年法治政府建设年度报告\n2023年，我局推进法治建设。\n一、主要举措\n"
            "（一）我局与宁波市公安局签订执法协作协议，我局组织民警赴杭州学习，我局邀请杭州专家授课。\n")
    report = parse_text(text, meta={"source_url": "http://gaj.jiaxing.gov.cn/a.html"})
    assert ("嘉兴市公安局", "url") == (report.agency, report.evidence["city"]["source"])


def test_a_county_level_citys_slogan_wins_over_its_prefectures_campaign():
    text = ("市公安局2023年法治政府建设年度报告\n2023年，我局围绕“平安台州”“平安台州”建设，打造“法治温岭”品牌。\n"
            "一、主要举措\n")
    report = parse_text(text)
    assert ("温岭市公安局", "台州", "温岭市", "county") == (report.agency, report.city, report.county, report.level)


def test_only_government_hosts_name_a_place():
    text = "市公安局2023年法治政府建设年度报告\n2023年，我局推进法治建设。\n一、主要举措\n"
    mirror = parse_text(text, meta={"source_url": "http://js.mirror-news.com/ningbo/a.html"})
    assert (None, None) == (mirror.province, mirror.city)


def test_a_report_saying_only_we_gets_its_trade_and_then_its_place():
    text = ("2023年法治政府建设工作情况\n今年来，我分局以“平安萧山”为目标，全体民警推进执法规范化，派出所建设加强，"
            "治安形势稳定。\n一、主要举措\n")
    report = parse_text(text)
    assert ("萧山区公安分局", "杭州", "萧山区", "district", "police") == (
        report.agency, report.city, report.county, report.level, report.sector)
    assert ("inferred", "slogan") == (report.evidence["agency"]["source"], report.evidence["county"]["source"])
