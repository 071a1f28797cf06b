"""Indexer stage 2 (parse), dates: dates as reports write them → ``YYYY-MM-DD``.

2022-02-22, 2022/2/22, 2022.02.22, 2022年2月22日, and Chinese-numeral signature dates such as 二〇二二年三月一日
or 二○二一年十二月三十一日.
"""

from __future__ import annotations

import re
from datetime import date

from indexer.parse.sections import CN_DIGITS

YEAR = re.compile(r"(20\d\d)\s*年")  # a year as titles, headings and sentences name it: 2021年
_ZERO = "〇○零Ｏ0O"
_CN = CN_DIGITS[:9]  # 一 … 九: the digits of a year written 二〇二二
_CN_YEAR = rf"[{_ZERO}{_CN}]{{4}}"
_CN_SMALL = rf"[{CN_DIGITS}]{{1,3}}"  # a month or day: 三, 十二, 三十一
_DIGITS = re.compile(r"(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(rf"({_CN_YEAR})\s*年\s*({_CN_SMALL})\s*月\s*({_CN_SMALL})\s*日")
DATE_RE = re.compile(f"{_DIGITS.pattern}|{_CN_DATE.pattern}")


def _cn_int(s: str) -> int:
    if "十" not in s:
        return int("".join("0" if c in _ZERO else str(_CN.index(c) + 1) for c in s))
    tens, _, ones = s.partition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str | None) -> str | None:
    """The first date in ``text`` as YYYY-MM-DD, or None."""
    if not text:
        return None
    m = DATE_RE.search(text)
    if not m:
        return None
    if m.group(1):
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return _iso(_cn_int(m.group(4)), _cn_int(m.group(5)), _cn_int(m.group(6)))


def is_date_line(line: str) -> bool:
    """A line that is only a date (as under a signature), brackets and spaces allowed."""
    m = DATE_RE.search(line)
    if not m:
        return False
    rest = line[: m.start()] + line[m.end() :]
    return re.fullmatch(r"[\s()（）\[\]【】]*", rest) is not None
