"""Indexer stage 1 (readers), docx numbering: the list numbers Word draws but does not store in the text.

A heading typed as "一、" is text; a heading numbered by Word's automatic numbering ("chineseCounting",
lvlText "%1、") is not, and python-docx's ``paragraph.text`` lacks it. The parser needs those numbers to
find sections, so this renders them: per abstract numbering, one counter per level, deeper levels reset
when a shallower one advances. Formats beyond the common ones fall back to decimal.
"""

from __future__ import annotations

from docx.oxml.ns import qn

_CHINESE_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int) -> str:
    if n < 10:
        return _CHINESE_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


_FORMATS = {
    "decimal": str,
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "ideographDigital": lambda n: "".join(_CHINESE_DIGITS[int(d)] for d in str(n)),
    "decimalEnclosedCircle": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalFullWidth": lambda n: "".join(chr(ord(d) + 0xFEE0) for d in str(n)),
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "bullet": lambda n: "",
    "none": lambda n: "",
}


class ListNumbers:
    """Call ``label(paragraph)`` for each body paragraph in order: its rendered list number, or ""."""

    def __init__(self, document):
        self.counters: dict[str, list[int]] = {}
        try:
            self.numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            self.numbering = None

    def label(self, paragraph) -> str:
        if self.numbering is None:
            return ""
        num_id, level = _num_pr(paragraph)
        if not num_id or num_id == "0":
            return ""
        abstract, levels = self._levels(num_id)
        if levels is None or level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [0] * 10)
        counters[level] = counters[level] + 1 if counters[level] else levels[level][0]
        for deeper in range(level + 1, 10):
            counters[deeper] = 0
        start, fmt, text = levels[level]
        for k in range(level + 1):
            value = counters[k] or (levels[k][0] if k in levels else 1)
            k_fmt = levels[k][1] if k in levels else "decimal"
            text = text.replace(f"%{k + 1}", _FORMATS.get(k_fmt, str)(value))
        return text if fmt != "bullet" else ""

    def _levels(self, num_id: str):
        """(abstract numbering id, {level: (start, format, lvlText)}) of a w:num."""
        for num in self.numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                ref = num.find(qn("w:abstractNumId"))
                abstract = ref.get(qn("w:val")) if ref is not None else None
                break
        else:
            return None, None
        for node in self.numbering.findall(qn("w:abstractNum")):
            if node.get(qn("w:abstractNumId")) == abstract:
                return abstract, {int(lvl.get(qn("w:ilvl"))): _level(lvl) for lvl in node.findall(qn("w:lvl"))}
        return None, None


def _level(lvl) -> tuple[int, str, str]:
    def val(tag, default):
        node = lvl.find(qn(tag))
        return node.get(qn("w:val")) if node is not None and node.get(qn("w:val")) is not None else default

    return int(val("w:start", "1")), val("w:numFmt", "decimal"), val("w:lvlText", "")


def _num_pr(paragraph) -> tuple[str | None, int]:
    """numId and level from the paragraph's own properties, else from its style chain."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return str(num_pr.numId.val), int(level)
    return None, 0
