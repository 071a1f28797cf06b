"""indexer.parse.agency, through parse_text: the agency, its places, level and sector, for bureaus across the
country, and a site's name given as a hint."""

import pytest

from indexer.parse import parse_text
from indexer.parse.places import county_stems, gazetteer


@pytest.mark.parametrize(
    "agency, expected",
    [
        ("浙江省公安厅", ("浙江", None, None, "provincial", "police")),
        ("新疆维吾尔自治区公安厅", ("新疆", None, None, "provincial", "police")),
        ("北京市公安局", ("北京", "北京", None, "provincial", "police")),
        ("北京市司法局", ("北京", "北京", None, "provincial", "justice")),
        ("天津市公安局和平分局", ("天津", "天津", "和平区", "district", "police")),
        ("重庆市城口县公安局", ("重庆", "重庆", "城口县", "county", "police")),
        ("重庆市两江新区公安分局", ("重庆", "重庆", None, "district", "police")),
        ("广州市公安局天河区分局", ("广东", "广州", "天河区", "district", "police")),
        ("深圳市公安局南山分局", ("广东", "深圳", "南山区", "district", "police")),
        ("江门市公安局", ("广东", "江门", None, "city", "police")),
        ("开平市公安局", ("广东", "江门", "开平市", "county", "police")),
        ("乳源瑶族自治县公安局", ("广东", "韶关", "乳源瑶族自治县", "county", "police")),
        ("阿克苏地区公安处", ("新疆", "阿克苏", None, "city", "police")),
        ("恩施州公安局", ("湖北", "恩施", None, "city", "police")),
        ("大连市公安局开发区分局", ("辽宁", "大连", None, "district", "police")),
        ("杭州市萧山区司法局", ("浙江", "杭州", "萧山区", "district", "justice")),
        ("广东省司法厅", ("广东", None, None, "provincial", "justice")),
        ("宁波市市场监督管理局", ("浙江", "宁波", None, "city", "market_regulation")),
        ("苏州市生态环境局", ("江苏", "苏州", None, "city", "ecology_environment")),
        ("慈溪市人民政府", ("浙江", "宁波", "慈溪市", "county", "government")),
        ("湖州市交通运输局", ("浙江", "湖州", None, "city", "other")),
    ],
)
def test_agency_levels_and_sectors(agency, expected):
    report = parse_text(f"{agency}2021年法治政府建设年度报告\n2021年，我局推进法治建设。\n一、主要举措和成效\n")
    assert (agency, *expected) == (report.agency, report.province, report.city, report.county, report.level,
                                   report.sector)


def test_county_and_district_bureaus_across_the_country():
    """Every 15th county-level division of the dataset, as its bureau names itself, comes back whole."""
    gaz = gazetteer()
    counties = [d for d in gaz.by_code.values() if d.rank == 3 and d.city and not d.code.startswith("former")]
    wrong = []
    for d in counties[::15]:
        stem = next((s for s in county_stems(d.name) if any(x.code == d.code for x, _ in gaz.aliases.get(s, []))), d.name)
        if d.name.endswith("区"):
            agency, level = gaz.by_code[d.parent].name + "公安局" + stem + "分局", "district"
        else:
            agency, level = d.name + "公安局", "county"
        report = parse_text(f"{agency}2021年法治政府建设年度报告\n2021年，我局推进法治建设。\n一、主要举措和成效\n")
        got = (report.province, report.city, report.county, report.level)
        if got != (d.province, d.city, d.name, level):
            wrong.append((agency, got))
    assert [] == wrong


def test_site_name_hint_does_not_hide_the_bureau_the_text_names():
    text = "2021年，我局全面推进法治建设。制定《抚州市公安局执法规范》，抚州市公安局法制支队开展培训。\n一、主要举措和成效\n"
    report = parse_text(text, meta={"agency": "抚州市人民政府门户网站"})
    assert ("抚州市公安局", "police", "city") == (report.agency, report.sector, report.level)


@pytest.mark.parametrize("agency, county, level", [
    ("金林区公安分局", "金林区", "district"),  # districts whose names end in 林区
    ("太原市公安局万柏林分局", "万柏林区", "district"),
    ("神农架林区公安局", "神农架林区", "county"),
    ("六枝特区公安局", "六枝特区", "county"),
])
def test_forest_and_special_districts_are_counties_but_a_district_named_lin_is_not(agency, county, level):
    report = parse_text(f"{agency}2021年法治政府建设年度报告\n2021年，我局推进法治建设。\n一、主要举措和成效\n")
    assert (county, level) == (report.county, report.level)
