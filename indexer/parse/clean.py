"""Indexer stage 2 (parse), clean: raw report text → cleaned text + the metadata fields page clutter carried.

Government pages wrap a report in breadcrumbs, 手机版 / 扫一扫 / 打印 / 关闭 buttons, counters and metadata
tables (``索引号 | … | 发布机构 | …`` or one field per line). Clutter lines are dropped; metadata lines are
dropped too, but what they tell (发布机构, 发布日期, 成文日期, 时间, 名称 …) is returned in ``fields``.

Spaces are normalized one-to-one (NBSP, ideographic space, tab → " ") so positions inside a line keep their
meaning; lines are stripped, blank-line runs collapsed. Matching is done on a simplified-script shadow of
each line (same length, full-width digits and punctuation folded), so traditional-script pages are cleaned by
the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff\t\v\f]")

# Metadata keys as pages write them (spaces inside keys are allowed: 索 引 号).
META_KEYS = (
    "信息索引号 索引号 主题分类 主题词 体裁分类 组配分类 服务对象分类 信息分类 所属主题 关键词 发布机构 发文机关 "
    "发文单位 发文机构 发布机关 发布单位 公开主体 所属机构 信息来源 文章来源 来源 成文日期 发布日期 发布时间 "
    "发文日期 印发日期 公开日期 更新时间 信息时间 发稿时间 生成日期 生效日期 废止日期 有效性 时间 日期 发文字号 "
    "文件编号 文号 统一编号 公开方式 公开范围 公开时限 文种 内容概述 信息名称 名称 标题 作者 撰稿 供稿 访问量 "
    "访问次数 点击数 点击量 点击率 浏览次数 浏览量 浏览 阅读次数 阅读数 阅读量 今天是 责任编辑 编辑 审核 校对 "
    "初审 复审 终审"
).split()
# Keys a table in the report itself may have as column names.
_WEAK_KEYS = {"时间", "日期", "名称", "标题", "作者", "来源", "编辑", "审核", "校对", "浏览", "文种"}
_KEY_ALT = "|".join(r"\s*".join(k) for k in sorted(META_KEYS, key=len, reverse=True))
_KEY_COLON = re.compile(rf"[【\[（(]?({_KEY_ALT})\s*[:：]\s*")
_KEY_ONLY = re.compile(rf"^({_KEY_ALT})\s*[:：]?$")

# Page furniture: a line made only of these (and separators) is clutter.
_FURNITURE = re.compile(
    r"!\[[^\]]*\]\([^)]*\)|扫一扫[^\s|｜]*|手机版|回到顶部|返回顶部|登录|注册|字体\s*[:：]?\s*(?:大\s*中\s*小)?|"
    r"字号\s*[:：]?\s*(?:大\s*中\s*小)?|大\s*中\s*小|打印(?:本页|此页|文章|页面)?|关闭(?:窗口|本页|页面)?|"
    r"分享到?\s*[:：]?|收藏(?:本页)?|繁体|简体|无障碍|网站地图|保存(?:本页)?|我要纠错|纠错|默认|放大|缩小|"
    r"视力保护色|微信|微博|QQ空间|返回列表|返回|加入收藏|设为首页|English|下载"
)
_SEPARATORS = re.compile(r"[\s|｜【】\[\]()（）:：·•/、,，.。\-_>›»＞<]*")
_LEADING_DATE = re.compile(
    r"^[\[【(（]?\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d\d(?::\d\d)?)?"
    r"\s*[\]】)）]?\s+"
)
_DATE_KEY = re.compile(r"日\s*期|时\s*间")
_DATE_VALUE = re.compile(r"\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_BULLET = re.compile(r"^[•·●○◆◇■□▪*\-]\s*")
_BREADCRUMB = re.compile(
    r"^(?:您?当前(?:所在)?的?位置|您(?:现在|所在)的?位置|您的位置|所在位置)\s*[:：]|^首页\s*[>›»＞/]|[>›»＞]\s*正文$"
)
_BREADCRUMB_END = re.compile(r"[>›»＞]\s*正文$")
_FOOTER = re.compile(
    r"版权所有|ICP备|ICP证|网站标识码|公网安备|技术支持[:：]|主办单位[:：]|^主办[:：]|^承办[:：]|^联系我们|"
    r"^(?:责任)?编辑[:：]|^审核[:：]|^校对[:：]|^上一篇|^下一篇|^【?(?:打印|关闭)|"
    r"^(?:地址|联系电话|电话|邮编|邮政编码|传真|网站地图)\s*[:：|]"
)
_BARE_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9.-]+(?::\d+)?(?:/\S*)?")
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$|^第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?$")
_TRAILER = re.compile(
    r"^(?:相关(?:文件|信息|链接|阅读|新闻|文章|附件|稿件|解读|报道)|友情链接|附件下载|扫一扫在手机打开当前页)\s*[:：]?(.*)$"
)


# Full-width ASCII (２０２１, ：, （) folded one for one, so the shadow's patterns need one spelling.
_WIDTH_FOLD = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")


@dataclass
class Cleaned:
    text: str  # the cleaned report text
    shadow: str  # the same text in simplified script and half-width ASCII, character for character
    fields: dict[str, str] = field(default_factory=dict)  # metadata the clutter told (key without spaces)
    traditional: bool = False


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


# Characters that exist only in traditional script and that every report of the genre uses.
_TRADITIONAL_ONLY = set("國會於與說關發時實現對開經動區縣務執據劃處機構應當進檢罰條規認議協調評責權設綫線")
_TRADITIONAL_RE = re.compile("[" + "".join(sorted(_TRADITIONAL_ONLY)) + "]")
_CJK = re.compile("[\u4e00-\u9fff]")


def simplified_shadow(text: str) -> tuple[str, bool]:
    """``text`` in simplified script with exactly the same length, and whether it was traditional."""
    if len(_TRADITIONAL_RE.findall(text)) < 5:
        return text, False  # a quick look first: converting costs more than the rest of parsing
    conv = _t2s()
    out = []
    changed = cjk = 0
    for line in text.split("\n"):
        s = conv.convert(line)
        if len(s) != len(line):  # a phrase conversion changed the length: fall back to single characters
            s = "".join(c2 if len(c2 := conv.convert(c)) == 1 else c for c in line)
        if s != line:
            changed += sum(a != b for a, b in zip(line, s))
        cjk += len(_CJK.findall(line))
        out.append(s)
    traditional = changed > max(3, 0.02 * cjk)
    return ("\n".join(out) if traditional else text), traditional


def fold_width(text: str) -> str:
    """Full-width ASCII → ASCII, character for character (only the few distinct ones a text holds are replaced:
    much cheaper than ``str.translate`` over CJK text)."""
    for c in set(_FULL_WIDTH.findall(text)):
        text = text.replace(c, _WIDTH_FOLD[c])
    return text


def normalize_spaces(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPACES.sub(" ", text)


def _next_text(shadow: list[str], i: int) -> int | None:
    """The next line after ``i`` (within five) that holds more than separators."""
    for j in range(i + 1, min(i + 6, len(shadow))):
        if shadow[j] and not _SEPARATORS.fullmatch(shadow[j]):
            return j
    return None


# The starts of metadata keys (2 characters or more, short of the whole key): what _split_key can complete.
_KEY_STARTS = {k[:n] for k in META_KEYS for n in range(2, len(k))}


_KEY_FIRSTS = {k[0] for k in META_KEYS}


def _split_key(head: str, nxt: str) -> bool:
    """Is ``head`` the start of a metadata key that ``nxt`` completes?"""
    if head.lstrip()[:1] not in _KEY_FIRSTS:
        return False  # a paragraph: no need to strip all its spaces first
    head = _key(head)
    return head in _KEY_STARTS and any(
        k.startswith(head) and k != head and _key(nxt).startswith(k[len(head) :]) for k in META_KEYS
    )


def _is_value(line: str) -> bool:
    """Could ``line`` be a metadata value on its own line (not a key, not the report's title or text)?"""
    bare = _BULLET.sub("", line)
    return (
        len(bare) <= 40 and not _KEY_ONLY.match(bare) and not _KEY_COLON.match(bare)
        and not re.search(r"报告|总结|。", bare)
    )


def _is_breadcrumb(line: str) -> bool:
    """``_BREADCRUMB.search(line)`` for a line without newlines, without scanning all of a long line."""
    return bool(_BREADCRUMB.match(line) or (line.endswith("正文") and _BREADCRUMB_END.search(line)))


def _is_furniture(line: str) -> bool:
    rest = _FURNITURE.sub("", line)
    return _SEPARATORS.fullmatch(rest) is not None


_WHITESPACE = re.compile(r"\s+")


def _key(raw: str) -> str:
    return _WHITESPACE.sub("", raw)


def _colon_fields(line: str) -> dict[str, str] | None:
    """``时间:2022-02-22 来源:本网 访问量:-`` → fields, if the line is made of key:value pairs only."""
    fields = {}
    dated = _LEADING_DATE.match(line)  # "2022-02-22 10:30  来源：市公安局" under a page title
    if dated:
        fields["时间"] = dated.group(0).strip()
        line = line[dated.end() :]
    if len(line) > 150:
        return None  # a paragraph, not a metadata line
    if not (_KEY_COLON.match(line) or _KEY_COLON.match(line, 1)):
        return None  # no key at the line's start (searching the whole line for keys costs more)
    matches = list(_KEY_COLON.finditer(line))
    if not matches or matches[0].start() > 1 or (len(matches) == 1 and len(line) > 60):
        return None
    if len(matches) == 1 and not dated and _DATE_KEY.search(matches[0].group(1)):
        if not _DATE_VALUE.match(line[matches[0].end() :]):
            return None  # 时间：2021年3月至6月，开展… is the report's own sentence
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = line[m.end() : nxt.start() if nxt else len(line)]
        fields[_key(m.group(1))] = value.strip(" |｜【】[]()（）")
    return fields


_SPACED_KEYS = {k for k in META_KEYS if " " not in k} - _WEAK_KEYS


def _spaced_fields(line: str) -> dict[str, str] | None:
    """``主题分类 综合政务 发布机构 县公安局`` → fields: several ``key value`` pairs on one line without ``|`` or
    colons, if the line starts with a key and every key has a value."""
    if len(line) > 150 or line.split(" ", 1)[0] not in _SPACED_KEYS:
        return None
    tokens = line.split()
    fields: dict[str, str] = {}
    key = None
    for token in tokens:
        if token in _SPACED_KEYS and (key is None or fields[key]):
            key = token
            fields[key] = ""
        elif key is not None:
            fields[key] = (fields[key] + " " + token).strip()
    if len(fields) < 2 or not all(fields.values()):
        return None
    return fields


def _table_fields(line: str) -> dict[str, str] | None:
    """``索 引 号 | H027/2024 | 成文日期 | 2024-02-22 |`` → fields, if some cell is a metadata key."""
    if "|" not in line and "｜" not in line:
        return None
    cells = [c.strip() for c in re.split(r"[|｜]", line)]
    cells = [c for c in cells if c]
    fields: dict[str, str] = {}
    i = 0
    while i < len(cells):
        m = _KEY_ONLY.match(cells[i])
        if m:
            value = cells[i + 1] if i + 1 < len(cells) and not _KEY_ONLY.match(cells[i + 1]) else ""
            fields[_key(m.group(1))] = value
            i += 2 if value else 1
        elif (cf := _colon_fields(cells[i])) is not None:
            fields.update(cf)
            i += 1
        else:
            i += 1
    return fields or None


def _metadata_at(i: int, lines: list[str], shadow: list[str], keep: list[bool], top: bool) -> dict | None:
    """The metadata fields line ``i`` holds (marking the lines they took as dropped), or None."""
    bare = _BULLET.sub("", shadow[i])
    found = _table_fields(bare)
    if found is not None and not top and set(found) <= _WEAK_KEYS:
        found = None  # a table in the report itself (序号 | 时间 | 内容)
    found = found or _colon_fields(bare) or _spaced_fields(bare)
    if found is None and _KEY_ONLY.match(bare) and len(bare) <= 12:
        found = {_key(_KEY_ONLY.match(bare).group(1)): ""}
    j = _next_text(shadow, i)
    if found is None and j is not None and _split_key(bare, shadow[j]):
        # A key broken over two lines (PDF table cells): 成 文 / 日期 | 2024-02-22 |
        found = _table_fields(bare + shadow[j]) or _colon_fields(bare + shadow[j])
        if found is not None:
            keep[j] = False
            j = _next_text(shadow, j)
    if found is None:
        return None
    last = list(found)[-1]
    if not found[last] and j is not None and _is_value(shadow[j]):
        found[last] = lines[j].strip()  # one field per line: the value on the next line
        keep[j] = False
    keep[i] = False
    return found


def _classify(lines: list[str], shadow: list[str], fields: dict[str, str]) -> list[bool]:
    """Which lines to keep; fills ``fields`` from the metadata lines."""
    keep = [True] * len(lines)
    first_text = next((i for i, s in enumerate(shadow) if len(s) > 60), len(shadow))
    for i, s in enumerate(shadow):
        if not s or not keep[i]:
            continue
        found = _metadata_at(i, lines, shadow, keep, i < first_text)
        if found is not None:
            for k, v in found.items():
                if v:
                    fields.setdefault(k, v)
        elif len(s) <= 300 and _BARE_URL.fullmatch(s):
            keep[i] = False  # the page's address on a line of its own (indexer.parse.address reads it)
            fields.setdefault("网址", s)
        elif _is_furniture(s) or _is_breadcrumb(s) or _PAGE_NUMBER.match(s) or (len(s) <= 80 and _FOOTER.search(s)):
            keep[i] = False
        elif i < first_text and s.count("|") + s.count("｜") >= 2 and len(s) <= 80:
            keep[i] = False  # a site menu above the report: 首页 | 信息公开 | 政务服务
    _drop_trailer(shadow, keep)
    return keep


def _drop_trailer(shadow: list[str], keep: list[bool]) -> None:
    """相关文件 / 相关信息 at the end of a page, and the short link lines that follow it."""
    n = len(shadow)
    for i, s in enumerate(shadow):
        m = _TRAILER.match(s)
        if not m:
            continue
        tail = m.group(1).strip()
        # "相关链接：A B" with its links on the same line: only a short list of names near the end
        if tail and (i < n * 0.5 or len(tail) > 60 or re.search(r"[。；;！？]", tail)):
            continue
        keep[i] = False
        rest = [t for t in shadow[i + 1 :] if t]
        if i >= n * 0.5 and len(rest) <= 20 and all(len(t) <= 60 for t in rest):
            for j in range(i + 1, n):
                keep[j] = False
            return


def clean(text: str) -> Cleaned:
    text = normalize_spaces(text)
    shadow_text, traditional = simplified_shadow(text)
    shadow_text = fold_width(shadow_text)
    lines = [ln.strip() for ln in text.split("\n")]
    shadow = [ln.strip() for ln in shadow_text.split("\n")]
    fields: dict[str, str] = {}
    keep = _classify(lines, shadow, fields)
    out_lines: list[str] = []
    out_shadow: list[str] = []
    for line, sline, k in zip(lines, shadow, keep):
        if not k or (not line and (not out_lines or not out_lines[-1])):
            continue  # dropped, or a second blank line in a row, or a leading blank line
        out_lines.append(line)
        out_shadow.append(sline)
    while out_lines and not out_lines[-1]:
        out_lines.pop()
        out_shadow.pop()
    return Cleaned("\n".join(out_lines), "\n".join(out_shadow), fields, traditional)
