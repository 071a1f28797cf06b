"""Readers, HTML (indexer.readers.html): seed reports as saved government pages, read back with their metadata."""

import pytest

from builders import write_html
from indexer.readers import read_file
from reader_helpers import SEEDS, nonempty

META_ROWS = (("索引号", "H027/2024-76630", "成文日期", "2024-02-22"),
             ("发布机构", "市公安局萧山区分局", "主题分类", "公安、安全、司法/公安"))


@pytest.mark.parametrize("n, charset", [(1, "utf-8"), (3, "gb2312"), (0, "utf-8")])
def test_html_page(tmp_path, n, charset):
    path = tmp_path / "page.html"
    text = write_html(SEEDS[n], path, title="2023年法治政府建设年度报告_门户网站", pub_date="2024-02-26 09:30:00",
                      agency="杭州市公安局萧山区分局", url="https://www.example.gov.cn/art/2024/2/26/art_1.html",
                      meta_rows=META_ROWS, encoding=charset)
    doc = read_file(path)
    expected_lines = ["当前位置：首页 > 信息公开",
                      "索引号 | H027/2024-76630 | 成文日期 | 2024-02-22",
                      "发布机构 | 市公安局萧山区分局 | 主题分类 | 公安、安全、司法/公安",
                      *[line.strip() for line in nonempty(text)]]
    assert expected_lines == nonempty(doc.text)
    assert {"title": "2023年法治政府建设年度报告_门户网站", "publish_date": "2024-02-26",
            "agency": "杭州市公安局萧山区分局",
            "source_url": "https://www.example.gov.cn/art/2024/2/26/art_1.html"} == doc.meta
    assert ("html", "gb18030" if charset == "gb2312" else charset) == (doc.format, doc.encoding)


LAYOUT_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="ArticleTitle" content="某县公安局2022年度法治政府建设工作报告">
<meta name="publishdate" content="2023年3月5日"></head><body>
<div id="nav"><a href="/">首页</a><a href="/a">机构</a></div>
<div class="left"><a href="/1">通知公告</a> <a href="/2">政策解读</a> <a href="/3">办事指南</a></div>
<table><tr><td><h1>某县公安局2022年度
法治政府建设工作报告</h1></td></tr>
<tr><td><p>2022年，我局坚持以习近平法治思想为指导，全面推进法治政府建设，各项工作取得新成效。现将有关情况报告如下：</p>
<p>一、主要工作<br>（一）加强组织领导。局党委专题研究部署法治建设工作，制定年度工作要点，明确责任分工，确保各项任务落到实处、见到实效。</p>
<table><tr><th>项目</th><th>数量</th></tr><tr><td>办理案件</td><td>120</td></tr></table></td></tr></table>
<div style="display:none">隐藏内容</div><!-- 注释 -->
</body></html>"""


GOV_PAGE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>广州市公安局2021年法治政府建设年度报告 - 广州市公安局</title>
<meta name="SiteName" content="广州市公安局"><meta name="ColumnName" content="法治政府建设">
<meta name="ArticleTitle" content="广州市公安局2021年法治政府建设年度报告"><meta name="PubDate" content="2022-02-22 11:12">
<meta name="ContentSource" content="本网"><meta name="url" content="http://gaj.gz.gov.cn/gkmlpt/content/8/8110/post_8110000.html">
<script src="/js/jquery.js"></script></head>
<body><div class="top"><div class="top-links"><a href="/m">手机版</a><a href="/en">English</a><a href="/login">登录</a></div></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/xxgk">信息公开</a></li><li><a href="/zwfw">政务服务</a></li></ul></div>
<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk">信息公开</a> &gt; <a href="/fz">法治政府建设</a></div>
<div class="article"><h1 class="title">广州市公安局2021年法治政府建设年度报告</h1>
<div class="info"><span>时间：2022-02-22 11:12</span> <span>来源：本网</span> <span>访问量：<em id="hits">-</em></span> 【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="content" id="zoom"><div class="TRS_Editor">
<p style="text-indent:2em">&nbsp;&nbsp;2021年以来，市公安局在市委、市政府的领导下，持续深化法治公安建设。现将有关情况报告如下：</p>
<p><strong>一、深入学习贯彻习近平法治思想</strong></p>
<p>（一）提高政治站位。始终把学习宣传贯彻习近平总书记重要讲话精神作为首要政治任务，<br>落实“第一议题”要求。</p>
<p style="text-align:right">广州市公安局<br>2022年2月22日</p></div></div>
<div class="print"><a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div></div>
<div class="right"><h3>相关链接</h3><ul><li><a href="/1">广州市2021年法治政府建设年度报告</a></li><li><a href="/2">市司法局2021年法治政府建设年度报告</a></li><li><a href="/3">市市场监管局2021年法治政府建设年度报告</a></li></ul></div></div>
<div class="footer"><p>主办：广州市公安局 版权所有</p><p>网站标识码：4401000001 粤ICP备00000000号</p></div>
<script>var hits=1;</script></body></html>
"""


def test_html_government_page(tmp_path):
    """A page as a city bureau's site serves it: GBK declared gb2312, menus, sidebar, footer, print links."""
    path = tmp_path / "post_8110000.html"
    path.write_bytes(GOV_PAGE.encode("gbk"))
    doc = read_file(path)
    assert ["当前位置：首页 > 信息公开 > 法治政府建设",
            "广州市公安局2021年法治政府建设年度报告",
            "时间：2022-02-22 11:12 来源：本网 访问量：- 【字体：大 中 小】",
            "\xa0\xa02021年以来，市公安局在市委、市政府的领导下，持续深化法治公安建设。现将有关情况报告如下：",
            "一、深入学习贯彻习近平法治思想",
            "（一）提高政治站位。始终把学习宣传贯彻习近平总书记重要讲话精神作为首要政治任务，",
            "落实“第一议题”要求。",
            "广州市公安局",
            "2022年2月22日",
            "【打印】 【关闭】"] == nonempty(doc.text)
    assert ("gb18030", {"title": "广州市公安局2021年法治政府建设年度报告", "publish_date": "2022-02-22",
                        "source_url": "http://gaj.gz.gov.cn/gkmlpt/content/8/8110/post_8110000.html"}) == (doc.encoding, doc.meta)


def test_html_layout_table_breaks_and_meta(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(LAYOUT_PAGE, encoding="utf-8")
    doc = read_file(path)
    assert ["某县公安局2022年度法治政府建设工作报告",
            "2022年，我局坚持以习近平法治思想为指导，全面推进法治政府建设，各项工作取得新成效。现将有关情况报告如下：",
            "一、主要工作",
            "（一）加强组织领导。局党委专题研究部署法治建设工作，制定年度工作要点，明确责任分工，确保各项任务落到实处、见到实效。",
            "项目 | 数量",
            "办理案件 | 120"] == nonempty(doc.text)
    assert {"title": "某县公安局2022年度法治政府建设工作报告", "publish_date": "2023-03-05"} == doc.meta
