"""indexer.parse.clean, through parse_text: spaces normalized one for one, page clutter and link trailers
dropped, metadata lines read (and report sentences that look like them kept), full-width and traditional
script cleaned by the same rules."""

import opencc
import pytest

from conftest import CORPUS, load_truth
from indexer.parse import parse_text

TRUTH = load_truth()
FIELDS = ("agency", "province", "city", "county", "level", "sector", "year", "publish_date", "doc_date")


@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_traditional_script_seed_gives_simplified_places(label):
    text = opencc.OpenCC("s2t").convert((CORPUS / label["file"]).read_text(encoding="utf-8"))
    report = parse_text(text)
    assert [label[f] for f in FIELDS] == [getattr(report, f) for f in FIELDS]
    assert label["level1_kinds"] == [s.kinds for s in report.sections if s.level == 1]
    assert label["level2_count"] == sum(s.level == 2 for s in report.sections)


def test_spaces_normalized_one_for_one():
    report = parse_text("标题\u3000行\n一、主要\u00a0举措\n（一）加强\t领导。内容。\n")
    assert "标题 行\n一、主要 举措\n（一）加强 领导。内容。" == report.text
    assert ["一、主要 举措", "（一）加强 领导"] == [s.heading for s in report.sections]


def test_clean_keeps_sentences_that_start_like_fields_and_drops_editor_lines():
    report = parse_text(
        "铜陵市公安局2021年法治政府建设年度报告\n发布时间：2022-01-20 09:00 来源：铜陵市公安局\n"
        "时间：2021年3月至6月，开展执法突出问题专项整治。\n（责任编辑：张三）\n"
    )
    assert ("铜陵市公安局2021年法治政府建设年度报告\n时间：2021年3月至6月，开展执法突出问题专项整治。", "2022-01-20") == (
        report.text, report.publish_date)


def test_a_table_in_the_report_is_not_page_metadata():
    text = ("2021年，我局坚持以习近平法治思想为指导，全面推进法治公安建设，依法履行职责，执法规范化水平持续提升，"
            "群众满意度不断提高。\n一、主要举措和成效\n序号 | 时间 | 内容 |\n1 | 2021年3月 | 专项整治 |\n")
    assert text.strip() == parse_text(text).text


def test_full_width_digits_and_punctuation():
    report = parse_text("梧州市公安局２０２１年法治政府建设年度报告\n发布日期：２０２２－０２－０１\n１、工作情况\n（一）强化学习\n"
                        "二、存在问题\n三、２０２２年工作计划\n１．强化监督\n")
    assert (2021, "2022-02-01", "梧州", [("１、工作情况", 1), ("（一）强化学习", 2), ("二、存在问题", 1),
                                        ("三、２０２２年工作计划", 1), ("１．强化监督", 3)]) == (
        report.year, report.publish_date, report.city, [(s.heading, s.level) for s in report.sections])


BODY_FOR_TRAILERS = (
    "鹤山市公安局2022年法治政府建设年度报告\n2022年，我局深入推进法治公安建设。\n一、主要举措和成效\n"
    "全面推行执法记录仪全程记录。\n二、存在的不足\n执法队伍素质有待提升。\n三、2023年工作计划\n"
    "持续深化执法规范化建设。\n鹤山市公安局\n2023年2月8日\n"
)


@pytest.mark.parametrize(
    "trailer",
    [
        "相关链接：江门市公安局 广东省公安厅\n",
        "友情链接：\n江门市人民政府\n广东省公安厅\n",
        "相关信息\n鹤山市公安局2021年法治政府建设年度报告\n",
    ],
)
def test_link_trailers_are_dropped_with_their_links(trailer):
    report = parse_text(BODY_FOR_TRAILERS + trailer)
    assert BODY_FOR_TRAILERS.rstrip("\n") == report.text
    assert "2023-02-08" == report.doc_date


def test_a_related_information_sentence_in_the_body_is_kept():
    text = BODY_FOR_TRAILERS.replace("全面推行执法记录仪全程记录。", "相关信息：我局已在门户网站公开执法流程。")
    assert "相关信息：我局已在门户网站公开执法流程。" in parse_text(text).text


def test_a_bare_address_line_is_clutter_kept_as_a_field():
    from indexer.parse.clean import clean

    cleaned = clean("首页 > 政务公开\nhttp://police.example.gov.cn/zwgk/2024/0301.html\n市公安局2023年法治政府建设年度报告\n"
                    "正文引用网址 http://a.gov.cn 的句子。\n")
    assert ("市公安局2023年法治政府建设年度报告\n正文引用网址 http://a.gov.cn 的句子。",
            "http://police.example.gov.cn/zwgk/2024/0301.html") == (cleaned.text, cleaned.fields["网址"])
