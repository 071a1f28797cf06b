"""indexer.parse on small hand-written reports, one per messy pattern real pages show.

Each case is a whole (short) report and the fields a labeller would give it (tests/fixtures/LABELS.md).
"""

import opencc
import pytest

from conftest import CORPUS, load_truth
from indexer.kinds import classify, keyword_kinds
from indexer.meta import work_year
from indexer.places import county_stems, gazetteer
from indexer.parse import parse_text

BODY = """一、{y}年主要举措和成效
（一）加强组织领导。全年召开专题会议6次，研究解决问题12个。
（二）严格规范执法。开展案件评查，评查案件300宗。
二、存在的问题和不足
一是执法能力有待提升。二是监督合力不够。
三、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人带头学法，亲自部署重要工作。
四、{n}年工作安排
（一）深化执法规范化建设。
（二）加强法治宣传教育。
"""
KINDS = [["举措成效"], ["问题不足"], ["第一责任人"], ["下年安排"]]


def body(year: int) -> str:
    return BODY.format(y=year, n=year + 1)


CASES = {
    "page-clutter-pipe-table": (
        "当前位置：首页 > 政务公开 > 法治政府建设\n首页 | 信息公开 | 政务服务 | 互动交流\n手机版\n"
        "扫一扫·打开手机版\n登录 | 注册\n"
        "索 引 号 | 330282/2022-00012 | 主题分类 | 公安 |\n发布机构 | 慈溪市公安局 | 发布日期 | 2022-03-10 |\n"
        "【字体：大 中 小】【打印】【关闭】\n\n"
        "慈溪市公安局2021年度法治政府建设工作报告\n\n"
        "2021年，我局坚持以习近平法治思想为指导，现将有关情况报告如下：\n" + body(2021)
        + "\n分享到：\n回到顶部\n相关文件：\n宁波市公安局2021年法治政府建设年度报告\n慈溪市人民政府2021年法治政府建设年度报告\n"
        "版权所有：慈溪市公安局 浙ICP备12345678号\n",
        {"agency": "慈溪市公安局", "province": "浙江", "city": "宁波", "county": "慈溪市", "level": "county",
         "sector": "police", "year": 2021, "publish_date": "2022-03-10", "doc_date": None,
         "title": "慈溪市公安局2021年度法治政府建设工作报告"},
    ),
    "one-field-per-line-metadata": (
        "返回顶部\n• 索引号：\n\n  11530000/2023-00031\n• 发布机构：\n\n  云南省公安厅\n• 成文日期：\n\n  2023-02-20\n"
        "• 发布日期：\n\n  2023年02月24日 10:12\n• 主题分类：\n\n"
        "云南省公安厅2022年法治政府建设年度报告\n"
        "2022年，省公安厅认真贯彻落实党中央、国务院决策部署，现将有关情况报告如下：\n" + body(2022),
        {"agency": "云南省公安厅", "province": "云南", "city": None, "county": None, "level": "provincial",
         "sector": "police", "year": 2022, "publish_date": "2023-02-24", "doc_date": "2023-02-20"},
    ),
    "colon-fields-on-one-line": (
        "重庆市公安局渝北区分局2020年法治政府建设情况报告\n"
        "发布时间：2021-01-28 16:30    来源：重庆市公安局渝北区分局    浏览次数：1024\n"
        "2020年，区公安分局在区委、区政府和市公安局的坚强领导下，全面推进法治公安建设。\n" + body(2020),
        {"agency": "重庆市公安局渝北区分局", "province": "重庆", "city": "重庆", "county": "渝北区",
         "level": "district", "sector": "police", "year": 2020, "publish_date": "2021-01-28", "doc_date": None},
    ),
    "agency-only-in-signature-chinese-date": (
        "2021年以来，我局在县委、县政府的坚强领导下，扎实推进法治政府建设。现将有关情况报告如下：\n" + body(2021)
        + "\n宁海县公安局\n二〇二二年一月二十日\n",
        {"agency": "宁海县公安局", "province": "浙江", "city": "宁波", "county": "宁海县", "level": "county",
         "sector": "police", "year": 2021, "publish_date": None, "doc_date": "2022-01-20", "title": None},
    ),
    "agency-only-in-first-sentence": (
        "2019年，德阳市公安局以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。\n" + body(2019),
        {"agency": "德阳市公安局", "province": "四川", "city": "德阳", "county": None, "level": "city",
         "sector": "police", "year": 2019, "publish_date": None, "doc_date": None, "title": None},
    ),
    "municipality-own-bureau": (
        "上海市公安局2022年法治政府建设情况报告\n"
        "2022年，市公安局坚持以习近平法治思想为指导，现将有关情况报告如下：\n" + body(2022)
        + "\n上海市公安局\n2023年3月15日\n",
        {"agency": "上海市公安局", "province": "上海", "city": "上海", "county": None, "level": "provincial",
         "sector": "police", "year": 2022, "publish_date": None, "doc_date": "2023-03-15"},
    ),
    "municipality-district-short-branch": (
        "北京市公安局朝阳分局关于2021年度法治政府建设情况的报告\n"
        "2021年，朝阳分局坚持以习近平法治思想为指导。\n" + body(2021),
        {"agency": "北京市公安局朝阳分局", "province": "北京", "city": "北京", "county": "朝阳区",
         "level": "district", "sector": "police", "year": 2021},
    ),
    "district-bureau-dropped-city": (
        "发布机构：市公安局余杭区分局\n发布日期：2023-02-01\n"
        "2022年，区公安分局坚持以习近平法治思想为指导，现将有关情况报告如下：\n" + body(2022),
        {"agency": "杭州市公安局余杭区分局", "province": "浙江", "city": "杭州", "county": "余杭区",
         "level": "district", "sector": "police", "year": 2022, "publish_date": "2023-02-01"},
    ),
    "title-without-city-signature-has-it": (
        "市公安局2021年法治政府建设年度报告\n"
        "2021年，我局在市委、市政府的正确领导下，推进法治公安建设。\n" + body(2021)
        + "\n韶关市公安局\n2022年2月8日\n",
        {"agency": "韶关市公安局", "province": "广东", "city": "韶关", "county": None, "level": "city",
         "sector": "police", "year": 2021, "doc_date": "2022-02-08"},
    ),
    "justice-bureau": (
        "长沙市司法局2020年法治政府建设年度报告\n发布日期：2021-03-02\n"
        "2020年，市司法局在市委、市政府的坚强领导下，统筹推进法治政府建设。\n" + body(2020),
        {"agency": "长沙市司法局", "province": "湖南", "city": "长沙", "county": None, "level": "city",
         "sector": "justice", "year": 2020, "publish_date": "2021-03-02"},
    ),
    "county-government": (
        "南昌县人民政府关于2019年法治政府建设情况的报告\n"
        "2019年，在省委、省政府和市委、市政府的正确领导下，南昌县全面推进依法行政。\n" + body(2019),
        {"agency": "南昌县人民政府", "province": "江西", "city": "南昌", "county": "南昌县", "level": "county",
         "sector": "government", "year": 2019},
    ),
    "market-regulation-provincial": (
        "广西壮族自治区市场监督管理局2021年法治政府建设年度报告\n" + body(2021),
        {"agency": "广西壮族自治区市场监督管理局", "province": "广西", "city": None, "county": None,
         "level": "provincial", "sector": "market_regulation", "year": 2021},
    ),
    "ecology-environment-city": (
        "延边朝鲜族自治州生态环境局2022年度法治政府建设情况报告\n" + body(2022),
        {"agency": "延边朝鲜族自治州生态环境局", "province": "吉林", "city": "延边", "county": None,
         "level": "city", "sector": "ecology_environment", "year": 2022},
    ),
    "title-names-a-place-only": (
        "今天是：2021年4月1日 星期四\n您所在的位置：政务公开 > 工作报告\n"
        "2020年静海区法治政府建设情况报告\n文章来源：司法局 更新时间：2021/03/29 11:30:01\n"
        "2020年，静海区坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。\n" + body(2020),
        {"agency": "静海区人民政府", "province": "天津", "city": "天津", "county": "静海区", "level": "district",
         "sector": "government", "year": 2020, "publish_date": "2021-03-29",
         "title": "2020年静海区法治政府建设情况报告"},
    ),
    "place-is-the-first-sentence-subject": (
        "2019年，在省委、省政府和市委、市政府的正确领导下，南昌县全面贯彻党的十九大精神。\n" + body(2019),
        {"agency": "南昌县人民政府", "province": "江西", "city": "南昌", "county": "南昌县", "level": "county",
         "sector": "government", "year": 2019},
    ),
    "guiding-agency-is-not-the-author": (
        "2022年，在市委、市政府和省公安厅的坚强领导下，市公安局全面推进法治公安建设。\n" + body(2022)
        + "\n赣州市公安局\n2023年1月31日\n",
        {"agency": "赣州市公安局", "province": "江西", "city": "赣州", "county": None, "level": "city",
         "sector": "police", "year": 2022, "doc_date": "2023-01-31"},
    ),
    "agency-followed-is-not-the-author": (
        "2021年，按照省公安厅部署要求，市公安局全面推进韶关市法治公安建设，韶关市社会大局持续稳定。\n" + body(2021),
        {"agency": "韶关市公安局", "province": "广东", "city": "韶关", "level": "city", "year": 2021},
    ),
    "title-over-two-lines": (
        "黔东南州公安局\n2021年法治政府建设年度报告\n2021年，州公安局坚持以习近平法治思想为指导。\n" + body(2021),
        {"agency": "黔东南州公安局", "province": "贵州", "city": "黔东南", "county": None, "level": "city",
         "sector": "police", "year": 2021, "title": "黔东南州公安局2021年法治政府建设年度报告"},
    ),
    "date-leads-the-source-line": (
        "梅州市公安局2022年法治政府建设年度报告\n2022-03-01 10:30  来源：梅州市公安局  浏览：128\n"
        "2021年，市公安局坚持以习近平法治思想为指导。\n" + body(2021),
        {"agency": "梅州市公安局", "year": 2021, "publish_date": "2022-03-01", "doc_date": None},
    ),
    "portal-names-itself-as-publisher": (
        "发布机构：江门市人民政府办公室\n发布日期：2021-03-01\n"
        "2020年，江门市公安局坚持以习近平法治思想为指导。\n" + body(2020),
        {"agency": "江门市公安局", "level": "city", "sector": "police", "publish_date": "2021-03-01"},
    ),
    "justice-bureau-publishes-the-government-report": (
        "发布机构：南京市司法局\n南京市人民政府关于2021年法治政府建设情况的报告\n"
        "2021年，市政府坚持以习近平法治思想为指导。\n" + body(2021),
        {"agency": "南京市人民政府", "level": "city", "sector": "government", "year": 2021},
    ),
    "bare-city-bureau-of-a-county-level-city": (
        "市公安局2021年法治政府建设年度报告\n"
        "2021年，市公安局在宁波市公安局和慈溪市委、市政府的坚强领导下，全面推进慈溪市法治公安建设。"
        "慈溪市社会大局持续稳定。\n" + body(2021),
        {"agency": "慈溪市公安局", "city": "宁波", "county": "慈溪市", "level": "county", "year": 2021},
    ),
    "signature-above-the-page-footer": (
        "2021年，我局全面推进法治公安建设。\n" + body(2021) + "\n宜春市公安局\n2022年1月10日\n网站地图 | 联系我们\n"
        "主办单位：宜春市公安局\n地址：宜春市袁州区宜阳大道1号 邮编：336000\n电话：0795-1234567\n",
        {"agency": "宜春市公安局", "city": "宜春", "level": "city", "doc_date": "2022-01-10", "year": 2021},
    ),
    "year-from-publish-date": (
        "发布日期：2022-04-01\n我局始终坚持以习近平法治思想为指导，现将法治政府建设情况报告如下：\n"
        + BODY.format(y="本", n="下一")
        + "\n铁岭市公安局\n",
        {"agency": "铁岭市公安局", "province": "辽宁", "city": "铁岭", "year": 2021, "publish_date": "2022-04-01",
         "doc_date": None},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_variant_metadata(name):
    text, expected = CASES[name]
    report = parse_text(text)
    assert expected == {k: getattr(report, k) for k in expected}


@pytest.mark.parametrize("name", list(CASES))
def test_variant_sections(name):
    report = parse_text(CASES[name][0])
    level1 = [s for s in report.sections if s.level == 1]
    assert (KINDS, 4) == ([s.kinds for s in level1], sum(s.level == 2 for s in report.sections))


@pytest.mark.parametrize("name", list(CASES))
def test_variant_clutter_gone(name):
    text = parse_text(CASES[name][0]).text
    clutter = ("首页", "手机版", "扫一扫", "注册", "字体", "打印", "索引号", "索 引 号", "发布机构", "浏览次数",
               "相关文件", "ICP", "回到顶部", "返回顶部", "分享到", "11530000/2023")
    assert [] == [c for c in clutter if c in text]


SECTION_CASES = {
    "headings-run-into-text": (
        "一、主要工作。全年共办理案件1200宗，同比上升5%。\n（一）加强领导：成立领导小组。\n"
        "1.健全制度。制定制度12项。\n2.强化考核。\n（二）规范执法。开展执法检查。\n"
        "二、问题和不足。执法能力有待提升。\n三、下一步打算。继续推进法治建设。\n",
        [("一、主要工作", 1, None), ("（一）加强领导", 2, 0), ("1.健全制度", 3, 1), ("2.强化考核", 3, 1),
         ("（二）规范执法", 2, 0), ("二、问题和不足", 1, None), ("三、下一步打算", 1, None)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "digit-one-mixed-with-chinese-two": (
        "1、工作情况及成效\n（一）推进依法行政。一是完善制度。\n（二）规范执法行为。\n"
        "二、存在不足及下一步工作对策\n（一）加强培训。\n",
        [("1、工作情况及成效", 1, None), ("（一）推进依法行政", 2, 0), ("（二）规范执法行为", 2, 0),
         ("二、存在不足及下一步工作对策", 1, None), ("（一）加强培训", 2, 3)],
        [["举措成效"], ["问题不足", "下年安排"]],
    ),
    "lone-digit-after-the-run-is-not-level-one": (
        "一、主要举措\n（一）强化学习\n二、存在问题\n三、2022年工作安排\n重点是：\n4、强化监督\n",
        [("一、主要举措", 1, None), ("（一）强化学习", 2, 0), ("二、存在问题", 1, None), ("三、2022年工作安排", 1, None),
         ("4、强化监督", 3, 3)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "nested-list-does-not-break-level-one": (
        "一、主要举措和成效\n（一）强化学习。\n二、存在问题\n问题主要有：\n一、培训不足。\n二、监督不够。\n"
        "三、2023年工作计划\n（一）深化改革。\n",
        [("一、主要举措和成效", 1, None), ("（一）强化学习", 2, 0), ("二、存在问题", 1, None),
         ("一、培训不足", 3, 2), ("二、监督不够", 3, 2), ("三、2023年工作计划", 1, None), ("（一）深化改革", 2, 5)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "list-inside-last-section": (
        "一、2022年工作开展情况\n（一）强化学习。\n二、存在的不足\n三、2023年工作打算\n主要做好以下工作：\n"
        "一、深化改革。\n二、强化监督。\n三、加强培训。\n四、提升能力。\n",
        [("一、2022年工作开展情况", 1, None), ("（一）强化学习", 2, 0), ("二、存在的不足", 1, None),
         ("三、2023年工作打算", 1, None), ("一、深化改革", 3, 3), ("二、强化监督", 3, 3), ("三、加强培训", 3, 3),
         ("四、提升能力", 3, 3)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "heading-cut-off-on-its-own-line": (
        "一、\n主要举措和成效\n全年开展培训10次。\n二、存在的问题。\n三、其他需要报告的情况\n无。\n",
        [("一、主要举措和成效", 1, None), ("二、存在的问题", 1, None), ("三、其他需要报告的情况", 1, None)],
        [["举措成效"], ["问题不足"], ["其他"]],
    ),
    "two-level-two-runs-in-one-section": (
        "一、工作情况\n（一）强化学习。\n二、存在问题及下一步打算\n（一）培训不足。\n（二）监督不够。\n"
        "下一步，我们将：\n（一）深化改革。\n（二）强化监督。\n",
        [("一、工作情况", 1, None), ("（一）强化学习", 2, 0), ("二、存在问题及下一步打算", 1, None),
         ("（一）培训不足", 2, 2), ("（二）监督不够", 2, 2), ("（一）深化改革", 2, 2), ("（二）强化监督", 2, 2)],
        [["举措成效"], ["问题不足", "下年安排"]],
    ),
    "digits-as-top-level-without-chinese-numerals": (
        "1.主要举措和成效\n（一）强化学习。\n2.存在的问题\n3.下一步工作打算\n",
        [("1.主要举措和成效", 1, None), ("（一）强化学习", 2, 0), ("2.存在的问题", 1, None),
         ("3.下一步工作打算", 1, None)],
        [["举措成效"], ["问题不足"], ["下年安排"]],
    ),
    "digit-items-under-level-two-are-level-three": (
        "（一）强化学习\n1.集中学习\n2.专题培训\n（二）规范执法\n1.案件审核\n",
        [("（一）强化学习", 2, None), ("1.集中学习", 3, 0), ("2.专题培训", 3, 0), ("（二）规范执法", 2, None),
         ("1.案件审核", 3, 3)],
        [],
    ),
    "circled-and-shi-items": (
        "一、主要举措\n（一）规范执法\n一是加强审核。全年审核案件200宗。\n二是强化监督。\n①案件评查；\n②专项检查。\n",
        [("一、主要举措", 1, None), ("（一）规范执法", 2, 0), ("一是加强审核", 3, 1), ("二是强化监督", 3, 1),
         ("①案件评查", 3, 1), ("②专项检查", 3, 1)],
        [["举措成效"]],
    ),
}


@pytest.mark.parametrize("name", list(SECTION_CASES))
def test_section_tree(name):
    text, expected, kinds = SECTION_CASES[name]
    report = parse_text(text)
    assert expected == [(s.heading, s.level, s.parent) for s in report.sections]
    assert kinds == [s.kinds for s in report.sections if s.level == 1]
    assert [] == [s.heading for s in report.sections if not report.text[s.start : s.end].startswith(s.heading[:2])]


@pytest.mark.parametrize(
    "heading, year, expected",
    [
        ("2021年度推进法治政府建设的主要举措和成效", 2021, ["举措成效"]),
        ("2021年度推进法治政府建设存在的不足和原因", 2021, ["问题不足"]),
        ("2021年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况", 2021, ["第一责任人"]),
        ("2022年度推进法治政府建设的主要安排", 2021, ["下年安排"]),
        ("其他需要报告的情况", 2021, ["其他"]),
        ("工作开展情况及存在的问题", 2021, ["举措成效", "问题不足"]),
        ("存在问题及下步打算", 2021, ["问题不足", "下年安排"]),
        ("聚焦群众急难愁盼问题，提升服务水平", 2021, []),
        ("坚持问题导向，深化执法监督", 2021, []),
        ("加强主要领导干部学法用法", 2021, []),
        ("积极落实全市2021年全面依法治市工作要点", 2021, []),
        ("主要工作安排", 2021, ["下年安排"]),
        ("2021年工作总结和2022年工作计划", 2021, ["举措成效", "下年安排"]),
    ],
)
def test_keyword_kinds(heading, year, expected):
    assert expected == keyword_kinds(heading, year)


def test_unkeyworded_headings_take_their_place_in_the_template():
    headings = ["强化组织领导", "落实第一责任人职责", "深化执法监督", "存在的问题", "强化队伍建设"]
    bodies = ["", "", "", "", "下一步，我局将继续加强队伍建设。"]
    assert [["举措成效"], ["第一责任人"], ["举措成效"], ["问题不足"], ["下年安排"]] == classify(headings, bodies, 2021)


def test_report_pasted_as_one_paragraph_still_has_its_sections():
    label = next(t for t in load_truth() if t["level2_count"] == 7)
    text = (CORPUS / label["file"]).read_text(encoding="utf-8").replace("\n", "")
    report = parse_text(text)
    level1 = [s for s in report.sections if s.level == 1]
    assert [h[:6] for h in label["level1_headings"]] == [s.heading[:6] for s in level1]
    assert label["level2_count"] == sum(s.level == 2 for s in report.sections)
    assert [] == [s.heading for s in report.sections if not report.text[s.start :].startswith(s.heading)]


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


def test_clean_keeps_sentences_that_start_like_fields_and_drops_editor_lines():
    report = parse_text(
        "铜陵市公安局2021年法治政府建设年度报告\n发布时间：2022-01-20 09:00 来源：铜陵市公安局\n"
        "时间：2021年3月至6月，开展执法突出问题专项整治。\n（责任编辑：张三）\n"
    )
    assert ("铜陵市公安局2021年法治政府建设年度报告\n时间：2021年3月至6月，开展执法突出问题专项整治。", "2022-01-20") == (
        report.text, report.publish_date)


@pytest.mark.parametrize(
    "title, preamble, level1, dates, expected",
    [
        ("XX市公安局2021年法治政府建设年度报告", "", [], ["2022-02-01"], 2021),
        ("XX市公安局关于2022年度法治政府建设情况的报告", "2022年，我局…", [], ["2023-03-31"], 2022),
        ("XX市公安局2022年法治政府建设年度报告", "2021年，我局…", [], ["2022-01-15"], 2021),
        (None, "2023年，区公安分局坚持…", [], ["2024-02-22"], 2023),
        (None, "今年以来，全市刑事案件较2020年下降5%。2021年，我局全面推进。", [], [], 2021),
        (None, "今年以来，全市刑事案件较2020年下降5%。", [], ["2022-03-01"], 2021),
        (None, "根据《XX市2021年法治政府建设工作要点》（2021—2025年），现将有关情况报告如下：", ["2020年主要举措"], [], 2020),
        (None, "", [], ["2020-12-13"], 2020),
        (None, "", [], ["2021-03-02"], 2020),
        (None, "", [], [], None),
    ],
)
def test_work_year(title, preamble, level1, dates, expected):
    assert expected == work_year(title, preamble, level1, dates)


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
