"""Indexer stage 1 (readers), html: a report page saved from a government site (.html/.htm) → text lines + meta.

The page is decoded with its declared charset (or detection), scripts, styles, forms, nav/header/footer and
link-only navigation blocks are dropped, and the rest is rendered as lines: block elements and <br> break
lines, a table row is one line with its cells joined by " | " (the 索引号/发布机构/发布日期 metadata table is
kept: the parser reads it). When unsure, keep more: the parser strips clutter lines (当前位置, 打印, 关闭).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from indexer.readers.text import Document, ReadError, decode_strict, decode_text, normalize_newlines

_DROP = ["script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "template", "svg",
         "button", "select", "input", "textarea", "object", "embed", "head"]
_BLOCK = {"address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "figcaption",
          "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section",
          "table", "tbody", "thead", "tfoot", "tr", "ul", "caption", "body", "html"}
# Classes/ids of navigation blocks on gov sites (breadcrumbs are kept: the parser reads and drops them).
_NAV_NAME = re.compile(r"(?:^|[-_ ])(?:nav|navbar|menu|topbar|top-bar|sitemap|share|bdshare|toolbar)(?:$|[-_ \d])",
                       re.IGNORECASE)
# Site header/footer boxes; some pages put the report title or the metadata table in a box so named.
_FRAME_NAME = re.compile(r"(?:^|[-_ ])(?:header|head|top|footer|foot|bottom|copyright)(?:$|[-_ \d])", re.IGNORECASE)
_REPORT_PARTS = re.compile(r"索\s*引\s*号|发布机构|发布日期|成文日期|发文机关|报告")
_INSTITUTION = re.compile(r"(?:局|厅|委|办|院|政府|部|中心|所|队|处|署|会|室)$")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
# ASCII whitespace runs holding a line break are one space in HTML; between two CJK characters, none.
_WRAP_CJK = re.compile(rf"(?<={_CJK})[ \t]*[\r\n][ \t\r\n]*(?={_CJK})")
_WRAP = re.compile(r"[ \t]*[\r\n][ \t\r\n]*|\t+")
_CELL_MAX = 200  # a table cell with more text than this is page layout, not a data cell
# Tags nested deeper than this are unwrapped (their text kept, a block boundary kept as a line break): real
# pages nest a few dozen levels; thousands (broken or hostile HTML) would overflow the recursive walk and make
# the clutter checks, which read each block's text, quadratic.
MAX_DEPTH = 100


def read_html(data: bytes, path) -> Document:
    text, encoding = _decode_html(data, path)
    soup = BeautifulSoup(text, "lxml")
    meta = _page_meta(soup)
    body = soup.body or soup
    _flatten_deep(soup, body)
    _drop_clutter(body)
    lines = _render(body)
    return Document("\n".join(lines).strip("\n"), "html", encoding, meta)


def _decode_html(data: bytes, path) -> tuple[str, str]:
    """The declared <meta charset> when it decodes cleanly, else detection as for .txt."""
    m = _CHARSET.search(data[:4096])
    declared = m and m.group(1).decode("ascii").lower()
    if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936"):
        declared = "gb18030"  # the superset: GB2312-declared pages routinely use GBK characters
    elif declared in ("big5", "x-x-big5", "cp950"):
        declared = "big5hkscs"  # Big5 with the Hong Kong and vendor extensions real pages use
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return normalize_newlines(decode_strict(data, declared, path)), declared
        except (ReadError, LookupError):
            pass  # a wrong or unknown declaration: fall back to detection
    text, encoding = decode_text(data, path)
    return normalize_newlines(text), encoding


def _meta_content(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        for attr in ("name", "property", "itemprop"):
            tag = soup.find("meta", attrs={attr: re.compile(rf"^{re.escape(name)}$", re.IGNORECASE)})
            if tag and tag.get("content", "").strip():
                return tag["content"].strip()
    return ""


def _page_meta(soup: BeautifulSoup) -> dict[str, str]:
    """What the page states about itself; nothing guessed."""
    meta = {}
    title = _meta_content(soup, "ArticleTitle") or (soup.title.get_text() if soup.title else "")
    title = " ".join(title.split())
    if title:
        meta["title"] = title
    date = _meta_content(soup, "PubDate", "publishdate", "pubdate", "firstpublishedtime",
                         "article:published_time", "dcterms.issued", "DC.date")
    m = _DATE.search(date)
    if m:
        meta["publish_date"] = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    agency = _meta_content(soup, "ContentSource", "author")
    if _INSTITUTION.search(agency):  # not "本网", "原创", "admin": sites fill these fields with anything
        meta["agency"] = agency
    canonical = soup.find("link", rel="canonical", href=True)
    url = (canonical["href"].strip() if canonical else "") or _meta_content(soup, "url", "og:url")
    if url:
        meta["source_url"] = url
    return meta


def _flatten_deep(soup: BeautifulSoup, root: Tag, max_depth: int = MAX_DEPTH) -> None:
    """Replace each subtree rooted ``max_depth`` levels below ``root`` by its text lines (a block boundary
    or <br> starts a line; scripts, styles and comments dropped), without recursion and in linear time."""
    roots: list[Tag] = []
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        for child in node.contents:
            if isinstance(child, Tag):
                if depth + 1 >= max_depth:
                    roots.append(child)
                else:
                    stack.append((child, depth + 1))
    for tag in roots:
        lines = [""]
        for node in tag.descendants:  # bs4 walks the next_element chain: iterative
            if type(node) is NavigableString:  # not Comment, Script, Stylesheet
                lines[-1] += str(node)
            elif isinstance(node, Tag) and (node.name in _BLOCK or node.name in ("br", "td", "th")):
                lines.append("")
        flat = soup.new_tag("div")
        for k, line in enumerate(line for line in lines if line.strip()):
            if k:
                flat.append(soup.new_tag("br"))
            flat.append(NavigableString(line))
        tag.replace_with(flat)


def _drop_clutter(body: Tag) -> None:
    for comment in body.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in body.find_all(_DROP):
        tag.decompose()
    for tag in body.find_all(_is_nav_block):
        tag.decompose()
    for tag in body.find_all(style=re.compile(r"display\s*:\s*none", re.IGNORECASE)):
        tag.decompose()


def _is_nav_block(tag: Tag) -> bool:
    """A list or box of links only (site menus, sidebars, 友情链接) or a block named like a menu."""
    if tag.name not in ("ul", "ol", "dl", "div", "td", "section", "aside", "p", "span") or tag.find("table"):
        return False
    names = " ".join([tag.get("id") or ""] + list(tag.get("class") or []))
    text = _squeeze(tag.get_text())
    if not text:
        return False
    if names and _NAV_NAME.search(names) and len(text) < 500:
        return True
    if names and _FRAME_NAME.search(names) and len(text) < 500 and not _keeps_report_parts(tag, text):
        return True
    links = tag.find_all("a")
    link_text = sum(len(_squeeze(a.get_text())) for a in links)
    return len(links) >= 3 and link_text >= 0.9 * len(text)


def _keeps_report_parts(tag: Tag, text: str) -> bool:
    return bool(tag.find(["h1", "h2", "table"]) or _REPORT_PARTS.search(text))


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _render(root: Tag) -> list[str]:
    """Lines of text: block elements and <br> break lines, table rows become "cell | cell" lines."""
    out: list[str] = [""]
    _walk(root, out)
    lines = [line.strip(" \t") for line in out]
    # keep single blank lines (paragraph breaks), drop runs of them
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    return result


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            out[-1] += _inline_text(str(child))
        elif child.name == "br":
            out.append("")
        elif child.name == "tr" and _is_data_row(child):
            _newline(out)
            out[-1] = " | ".join(_cell_text(td) for td in child.find_all(["td", "th"], recursive=False))
            out.append("")
        elif child.name in _BLOCK or child.name in ("td", "th"):
            _newline(out)
            _walk(child, out)
            _newline(out)
        else:
            _walk(child, out)


def _newline(out: list[str]) -> None:
    if out[-1].strip(" \t"):
        out.append("")


def _inline_text(s: str) -> str:
    return _WRAP.sub(" ", _WRAP_CJK.sub("", s))


def _is_data_row(tr: Tag) -> bool:
    cells = tr.find_all(["td", "th"], recursive=False)
    return bool(cells) and not any(c.find("table") or len(_squeeze(c.get_text())) > _CELL_MAX for c in cells)


def _cell_text(cell: Tag) -> str:
    lines: list[str] = [""]
    _walk(cell, lines)
    return " ".join(line.strip(" \t") for line in lines if line.strip(" \t"))
