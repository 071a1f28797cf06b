"""indexer.parse on small hand-written reports, one per messy pattern real pages show.

Each case is a whole (short) report and the fields a labeller would give it (tests/fixtures/LABELS.md).
"""

import pytest

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
