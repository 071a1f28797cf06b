"""Readers: seed reports re-published as GBK/UTF-16/Big5 text, HTML pages, docx and pdf, read back."""

import os
import re

import pytest

from builders import (
    to_traditional,
    write_big5,
    write_docx,
    write_encoded,
    write_gbk,
    write_html,
    write_pdf,
)
from conftest import CORPUS
from indexer.office_text import PdfLine, join_pdf_lines
from indexer.readers import SUPPORTED_SUFFIXES, Document, ReadError, read_file

SEEDS = sorted(CORPUS.glob("*.txt"))


def seed(n: int) -> str:
    return SEEDS[n].read_text(encoding="utf-8")


def excerpt(n: int, lines: int) -> str:
    """The first non-empty lines of a seed, stripped: a short report with a title/preamble and headings."""
    return "\n".join([line.strip() for line in seed(n).split("\n") if line.strip()][:lines])


def nonempty(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_supported_suffixes():
    assert (".txt", ".html", ".htm", ".docx", ".pdf") == SUPPORTED_SUFFIXES


@pytest.mark.parametrize("n", range(5))
def test_utf8_seeds_read_as_is(n):
    assert Document(seed(n), "txt", "utf-8", {}) == read_file(SEEDS[n])


# (seed, encoding written, BOM, encoding reported). Seeds 000/004 hold NBSP / EM SPACE: not in GBK.
@pytest.mark.parametrize("n, encoding, bom, reported", [
    (1, "gbk", False, "gb18030"),
    (2, "gbk", False, "gb18030"),
    (3, "gbk", False, "gb18030"),
    (0, "gb18030", False, "gb18030"),
    (4, "gb18030", False, "gb18030"),
    (0, "utf-8", True, "utf-8"),
    (4, "utf-8", True, "utf-8"),
    (0, "utf-16-le", True, "utf-16-le"),
    (0, "utf-16-be", True, "utf-16-be"),
    (2, "utf-16-le", False, "utf-16-le"),
    (3, "utf-16-be", False, "utf-16-be"),
])
def test_txt_encodings(tmp_path, n, encoding, bom, reported):
    path = tmp_path / "report.txt"
    text = write_encoded(SEEDS[n], path, encoding, bom=bom)
    doc = read_file(path)
    assert (text, "txt", reported) == (doc.text, doc.format, doc.encoding)


@pytest.mark.parametrize("n, start, length", [(1, 0, 200), (2, 300, 200), (3, 1000, 200), (3, 0, 80), (2, 0, 3000)])
def test_short_gbk(tmp_path, n, start, length):
    path = tmp_path / "short.txt"
    text = write_gbk(seed(n)[start : start + length], path)
    doc = read_file(path)
    assert (text, "gb18030") == (doc.text, doc.encoding)


@pytest.mark.parametrize("n, start, length", [(1, 0, 600), (3, 0, 200), (2, 500, 200), (4, 200, 150)])
def test_big5_traditional(tmp_path, n, start, length):
    source = seed(n)[start : start + length].replace("\u2003", " ").replace("\xa0", " ")
    path = tmp_path / "big5.txt"
    text = write_big5(source, path)
    doc = read_file(path)
    assert (to_traditional(source), "big5") == (doc.text, doc.encoding)


@pytest.mark.parametrize("damage, encoding", [
    (lambda b: b[:-1], "utf-8"),  # a download cut inside the last character
    (lambda b: b[:100] + b"\xff" + b[100:], "utf-8"),
    (lambda b: b.decode("utf-8").encode("gbk")[:-1], "gb18030"),
])
def test_few_broken_bytes_still_read(tmp_path, damage, encoding):
    path = tmp_path / "damaged.txt"
    path.write_bytes(damage(seed(3).encode("utf-8")))
    doc = read_file(path)
    assert (encoding, True) == (doc.encoding, seed(3)[200:2000] in doc.text)
    assert 4 >= doc.text.count("\ufffd")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\f"])
def test_newlines_normalized(tmp_path, newline):
    path = tmp_path / "crlf.txt"
    path.write_bytes(seed(2).replace("\n", newline).encode("gbk"))
    assert seed(2) == read_file(path).text


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


@pytest.mark.parametrize("n", [0, 2, 4])
def test_docx(tmp_path, n):
    path = tmp_path / "report.docx"
    text = write_docx(SEEDS[n], path, title="法治政府建设年度报告", table_rows=(("索引号", "001"), ("发布日期", "2023-03-31")))
    lines = nonempty(text)
    doc = read_file(path)
    assert [lines[0], "索引号 | 001", "发布日期 | 2023-03-31", *lines[1:]] == nonempty(doc.text)
    assert ("docx", None, {"title": "法治政府建设年度报告"}) == (doc.format, doc.encoding, doc.meta)


@pytest.mark.parametrize("n", [0, 2, 3])
def test_docx_automatic_numbering(tmp_path, n):
    """Headings numbered by Word (not typed) come back with their numbers: the parser needs them."""
    path = tmp_path / "numbered.docx"
    text = write_docx(SEEDS[n], path, auto_numbering=True)
    assert 2 <= len(re.findall(r"<w:numPr>", _document_xml(path)))
    assert [line.strip() for line in nonempty(text)] == [line.strip() for line in nonempty(read_file(path).text)]


def _document_xml(path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+、)")


@pytest.mark.parametrize("n, lines, gap", [(3, 8, False), (2, 8, False), (4, 12, False), (3, 8, True), (0, 14, True)])
def test_pdf(tmp_path, n, lines, gap):
    # characters STSong-Light has no glyph for (EM SPACE, NBSP, middle dot) cannot round-trip a PDF
    source = re.sub("[\u2003\xa0·]", "", excerpt(n, lines))
    path = tmp_path / "report.pdf"
    write_pdf(source, path, paragraph_gap=gap)
    doc = read_file(path)
    assert re.sub(r"\s", "", source) == re.sub(r"\s", "", doc.text)
    # every paragraph comes back as one line: page-width breaks joined, headings on their own line
    assert [re.sub(r"\s", "", p) for p in nonempty(source)] == [re.sub(r"\s", "", p) for p in nonempty(doc.text)]
    assert any(HEADING.match(p) for p in nonempty(doc.text))
    assert ("pdf", {}) == (doc.format, doc.meta)


def line(text, x0=72.0, x1=432.0, box=1):
    return PdfLine(text, x0, x1, 12.0, box)


@pytest.mark.parametrize("lines, expected", [
    # a full line without sentence end runs on; a line ending in 。 does not
    ([line("全市公安机关坚持以习近平法治思想为指导深入推进"), line("法治公安建设。", x1=156), line("下一段", x1=108)],
     "全市公安机关坚持以习近平法治思想为指导深入推进法治公安建设。\n下一段"),
    # a short heading stays apart from the next full line
    ([line("一、主要工作", x1=144), line("全市公安机关坚持以习近平法治思想为指导深入推进")],
     "一、主要工作\n全市公安机关坚持以习近平法治思想为指导深入推进"),
    # a full line is not joined to a heading or an indented paragraph
    ([line("全市公安机关坚持以习近平法治思想为指导深入推进"), line("（二）加强执法监督", x1=200),
      line("全市公安机关坚持以习近平法治思想为指导深入推进"), line("新的段落开始了", x0=96, x1=200)],
     "全市公安机关坚持以习近平法治思想为指导深入推进\n（二）加强执法监督\n"
     "全市公安机关坚持以习近平法治思想为指导深入推进\n新的段落开始了"),
    # right-aligned signature lines are not full lines; text boxes are kept apart by a blank line
    ([line("特此报告。", x1=132), line("某某市公安局", x0=360, box=2), line("2023年3月1日", x0=350, box=2)],
     "特此报告。\n\n某某市公安局\n2023年3月1日"),
    # a paragraph continued on the next page (another text box) is still joined
    ([line("全市公安机关坚持以习近平法治思想为指导深入推进", box=1), line("法治公安建设。", x1=156, box=2)],
     "全市公安机关坚持以习近平法治思想为指导深入推进法治公安建设。"),
])
def test_join_pdf_lines(lines, expected):
    assert expected == join_pdf_lines(lines)


def _blank_pdf(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 300, fill=1)  # an image-like page: no text layer
    c.showPage()
    c.save()


def _cut_pdf(path) -> bytes:
    """A real report pdf cut off halfway (an interrupted download)."""
    write_pdf(excerpt(3, 8), path)
    data = path.read_bytes()
    return data[: len(data) // 2]


def _empty_docx(path):
    import docx

    docx.Document().save(str(path))


ERROR_CASES = [
    ("report.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0 table"), "unsupported file type .xls"),
    ("README", lambda p: p.write_text("text", encoding="utf-8"), "unsupported file type (no suffix)"),
    ("empty.txt", lambda p: p.write_bytes(b""), "empty file"),
    ("blank.txt", lambda p: p.write_bytes(b"  \r\n\n\t \n"), "empty file"),
    ("bom-only.txt", lambda p: p.write_bytes(b"\xef\xbb\xbf\n"), "no text found"),
    ("image.txt", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "not a text file (binary content)"),
    ("controls.txt", lambda p: p.write_bytes(bytes(range(1, 32)) * 50), "not a text file (binary content)"),
    ("garbled.txt", lambda p: p.write_bytes(b"\x80\xff" * 400),
     "undecodable text (tried utf-8, gb18030, utf-16, big5)"),
    ("bad-bom.txt", lambda p: p.write_bytes(b"\xef\xbb\xbf" + "报告".encode("gbk")), "undecodable text (not valid utf-8)"),
    ("fake.docx", lambda p: p.write_text("not a zip", encoding="utf-8"), "not a valid .docx file (damaged, or an old .doc renamed?)"),
    ("empty.docx", _empty_docx, "no text found"),
    ("fake.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n garbage"), "not a valid .pdf file (damaged?)"),
    ("cut.pdf", lambda p: p.write_bytes(_cut_pdf(p)), "not a valid .pdf file (damaged?)"),
    ("ole.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),
     "not a valid .docx file (damaged, or an old .doc renamed?)"),
    ("scanned.pdf", _blank_pdf, "pdf has no text layer (scanned?)"),
    ("menu.html", lambda p: p.write_text("<html><body><nav><a href='/'>首页</a></nav><script>x=1</script></body></html>",
                                         encoding="utf-8"), "no text found"),
    ("folder.txt", lambda p: p.mkdir(), "is a directory"),
    ("missing.txt", lambda p: None, "no such file"),
    ("dangling.txt", lambda p: p.symlink_to(p.parent / "gone.txt"), "broken symbolic link"),
]


@pytest.mark.parametrize("name, make, reason", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_read_errors(tmp_path, name, make, reason):
    path = tmp_path / name
    make(path)
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert (str(path), reason, f"{path}: {reason}") == (info.value.path, info.value.reason, str(info.value))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_permission_denied(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("报告", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert "permission denied" == info.value.reason


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_any_bytes_give_a_document_or_a_read_error(tmp_path, suffix):
    """Never a traceback, never a blank Document: whatever the bytes, a Document with text or a ReadError."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.binary(max_size=2000) | st.text(max_size=300).map(lambda s: s.encode("utf-8")))
    def check(data):
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            doc = read_file(path)
        except ReadError as e:
            assert (str(path), True) == (e.path, bool(e.reason))
        else:
            assert (True, suffix.lstrip(".")[:3]) == (bool(doc.text.strip()), doc.format[:3])

    check()
