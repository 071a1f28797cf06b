"""Test fixtures made from a seed report at test time: the same report as it is published in other forms.

Plain functions ``write_*(src, dst, ...)``: ``src`` is a seed file (a Path) or the report text (a str),
``dst`` the file to write; each returns the text it wrote, so tests can compare what a reader gives back.
"""

from __future__ import annotations

import html
from pathlib import Path


def seed_text(src: str | Path) -> str:
    """``src`` is a seed file (a Path, read as UTF-8) or the report text itself (a str)."""
    return Path(src).read_text(encoding="utf-8") if isinstance(src, Path) else src


def write_encoded(src, dst, encoding: str, bom: bool = False) -> str:
    """The seed in another encoding; ``bom`` prepends the encoding's BOM (utf-8, utf-16-le/-be)."""
    text = seed_text(src)
    boms = {"utf-8": "\ufeff", "utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}
    Path(dst).write_bytes(((boms[encoding] if bom else "") + text).encode(encoding))
    return text


def write_gbk(src, dst) -> str:
    """The seed as GBK, the way many Chinese sites still publish .txt (the seed must be GBK-encodable)."""
    return write_encoded(src, dst, "gbk")


def to_traditional(text: str) -> str:
    import opencc

    # Taiwan standard forms are all in Big5 (plain s2t gives 爲, 着, 羣 that are not)
    return opencc.OpenCC("s2tw").convert(text)


def write_big5(src, dst) -> str:
    """The seed converted to traditional script and encoded as Big5 (Hong Kong/Taiwan style reports)."""
    text = to_traditional(seed_text(src))
    Path(dst).write_bytes(text.encode("big5"))
    return text


def write_html(src, dst, title: str = "", pub_date: str = "", agency: str = "", url: str = "",
               meta_rows: tuple[tuple[str, str, str, str], ...] = (), encoding: str = "utf-8") -> str:
    """The seed as a saved government page: script, style, site menu, breadcrumb, a metadata table, then the
    report, one <p> per non-empty line, inside <div id="zoom">, then a footer. Returns the report text."""
    text = seed_text(src)
    head = [f'<meta charset="{encoding}">', f"<title>{html.escape(title)}</title>"]
    if pub_date:
        head.append(f'<meta name="PubDate" content="{pub_date}">')
    if agency:
        head.append(f'<meta name="ContentSource" content="{html.escape(agency)}">')
    if url:
        head.append(f'<link rel="canonical" href="{html.escape(url)}">')
    head.append("<style>p { text-indent: 2em; }</style>")
    head.append('<script>var _hmt = _hmt || []; document.write("统计代码");</script>')
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in meta_rows
    )
    body = "\n".join(f"<p>{html.escape(line.strip())}</p>" for line in text.split("\n") if line.strip())
    page = f"""<!DOCTYPE html>
<html><head>{"".join(head)}</head>
<body>
<header><div class="logo">门户网站</div></header>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/xxgk">信息公开</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/bsfw">办事服务</a></li></ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk">信息公开</a></div>
<table class="meta">{rows}</table>
<div id="zoom">
{body}
</div>
<noscript>请开启JavaScript</noscript>
<form action="/search"><input name="q"><button>搜索</button></form>
<div class="bdshare-box share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
<div class="related"><a href="/1">相关链接一</a><a href="/2">相关链接二</a><a href="/3">相关链接三</a></div>
<footer>版权所有 主办单位 ICP备00000000号</footer>
<div id="bottom-1">网站标识码：0000000000 <a href="/sitemap">网站地图</a></div>
<script>console.log("end");</script>
</body></html>
"""
    # pages declared gb2312 are in practice GBK (its superset), as real sites do
    Path(dst).write_bytes(page.encode("gbk" if encoding.lower() == "gb2312" else encoding))
    return text


def write_docx(src, dst, title: str = "", table_rows: tuple[tuple[str, ...], ...] = (),
               auto_numbering: bool = False) -> str:
    """The seed as a Word document: one paragraph per line (blank lines kept as empty paragraphs), and
    ``table_rows`` as a table after the first paragraph. ``auto_numbering``: headings "一、…" and "（一）…"
    lose their typed number and get Word's automatic Chinese numbering instead (as templates do)."""
    import re

    import docx

    text = seed_text(src)
    document = docx.Document()
    if title:
        document.core_properties.title = title
    num_id = _add_chinese_numbering(document) if auto_numbering else None
    counts = [0, 0]  # Word's counters per level: a heading is auto-numbered only where Word gives its number
    for i, line in enumerate(text.split("\n")):
        m = re.match(r"^\s*(?:([一二三四五六七八九十]+)、|（([一二三四五六七八九十]+)）)", line) if num_id else None
        level = 0 if m and m.group(1) else 1
        if m and m.group(level + 1) == "一二三四五六七八九十"[counts[level] : counts[level] + 1]:
            counts[level] += 1
            counts[1] = 0 if level == 0 else counts[1]
            paragraph = document.add_paragraph(line[m.end() :])
            ppr = paragraph._p.get_or_add_pPr()
            ppr.get_or_add_numPr().get_or_add_numId().val = num_id
            ppr.get_or_add_numPr().get_or_add_ilvl().val = level
        else:
            paragraph = document.add_paragraph(line)
        if i == 0 and table_rows:
            table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
            for row, values in zip(table.rows, table_rows):
                for cell, value in zip(row.cells, values):
                    cell.text = value
    document.save(str(dst))
    return text


def _add_chinese_numbering(document) -> int:
    """A two-level Chinese list (一、 / （一）) in the document's numbering part; returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, text in enumerate(["%1、", "（%2）"])
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def write_pdf(src, dst, chars_per_line: int = 30, font_size: int = 12, paragraph_gap: bool = False) -> str:
    """The seed as a text-based PDF typeset like an official document (GB/T 9704): every paragraph's first
    line indented two characters, lines justified to the right margin, "- N -" page numbers at the bottom;
    ``paragraph_gap`` puts an empty line between paragraphs instead. Uses reportlab's built-in CID font
    (no font file needed). Returns the report text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    text = seed_text(src)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = A4
    c = canvas.Canvas(str(dst), pagesize=A4)
    leading, top, bottom, page, margin = font_size * 1.5, height - 72, 90, 1, 72

    def new_page():
        nonlocal y, page
        c.setFont("STSong-Light", 10)
        c.drawCentredString(width / 2, 50, f"- {page} -")
        c.showPage()
        page += 1
        y = top

    y = top
    for paragraph in (p.strip() for p in text.split("\n")):
        if not paragraph:
            continue
        first = paragraph[: chars_per_line - 2]
        rest = paragraph[len(first) :]
        lines = [(2, first)] + [(0, rest[i : i + chars_per_line]) for i in range(0, len(rest), chars_per_line)]
        for indent, line in lines:
            if not line:
                continue
            if y < bottom:
                new_page()
            c.setFont("STSong-Light", font_size)
            full = (chars_per_line - indent) * font_size
            c.drawString(margin + indent * font_size, y, line, charSpace=_justify(line, full, font_size))
            y -= leading
        if paragraph_gap:
            y -= leading
    new_page()
    c.save()
    return text


def _justify(line: str, width: float, font_size: int) -> float:
    """Character spacing that makes a full line reach the right margin, as word processors do."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    gap = width - stringWidth(line, "STSong-Light", font_size)
    return gap / (len(line) - 1) if len(line) > 1 and gap > 0 and len(line) >= 0.8 * width / font_size else 0
