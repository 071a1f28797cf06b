"""Indexer stage 2 (parse), clues: where a report's place is, when its agency is written without one
(市公安局, 县司法局, 区公安分局, 省公安厅, or only 我局 / 我市).

The clues are tried in order of reliability, and the first that names a place of the right rank wins, with its
evidence (``Clue.source`` one of ``indexer.model.EVIDENCE_SOURCES``):

1. ``body``: the bureau naming itself in full beside 我局 (…公安局（以下简称我局）, 我局（…公安局）);
2. ``cited_title``: a document the bureau issued, cited by title (《X市公安局关于…的实施意见》);
3. ``slogan``: 法治X, 平安X, “X公安”;
4. ``body``: the bureau's own area, the place its 我局 / 我分局 / 辖区 sentences name most (twice at least;
   not the places it goes to or works with);
5. ``doc_number``: the prefix of a document number read with the addressee line (X政〔2024〕5号 to a
   province's government: the division under it whose name starts with X, or whose one-character short name
   is X, ``indexer/data/hosts.json``);
6. ``url``: the page's address (``indexer.parse.address``).

Places come from the divisions dataset only (``places.gazetteer``). Reads the simplified-script shadow.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from indexer.parse import address, places
from indexer.parse.agency import _GUIDED_BY, agencies_in, bare, sector_of


@dataclass(frozen=True)
class Clue:
    division: places.Division
    source: str
    text: str


_SELF = re.compile(r"我局|本局|我厅|本厅|我分局|本分局|我委|我办|我市|我县|我区|本市|本县|本区|辖区")
_CITED = re.compile(r"《([^《》\n]{4,80})》")
_SLOGAN_BEFORE = ("法治", "平安")
_SLOGAN_WORDS = re.compile("|".join(_SLOGAN_BEFORE))  # 平安 is also a place (平安区), but not in 平安鼓楼
_QUOTES_OPEN, _QUOTES_CLOSE = "“\"「『", "”\"」』"
_DOC_NUMBER = re.compile(
    r"^([\u4e00-\u9fff]{1,3}?)(政|公|司|市监|环)[\u4e00-\u9fff]{0,2}[〔\[［(（【](?:19|20)\d\d[〕\]］)）】]\s*\d+\s*号$"
)
_ADDRESSEE = re.compile(r"^([\u4e00-\u9fff]{2,30})[:：]$")
DOC_KINDS = {"政": "人民政府", "公": "公安局", "司": "司法局", "市监": "市场监督管理局", "环": "生态环境局"}


HEADS = ("地区", "市", "省", "区", "县", "州", "盟")  # what a bare name starts with: 市公安局, 州公安局 …


def fits(head: str | None, d: places.Division) -> bool:
    """Can a bare name starting with ``head`` (one of ``HEADS``, or None) stand for division ``d``?"""
    if head == "市":
        return d.rank == 2 or (d.rank == 1 and d.is_municipality) or (d.rank == 3 and d.name.endswith("市"))
    if head == "省":
        return d.rank == 1 and not d.is_municipality
    if head == "区":
        return d.rank == 3 and d.name.endswith("区")
    if head == "县":
        return d.rank == 3 and d.name.endswith(("县", "旗"))
    if head in ("州", "地区", "盟"):
        return d.rank == 2 and d.name.endswith(head)
    return d.rank >= 2 or d.is_municipality


def narrow(head: str | None, options: list) -> list:
    """Among several places a bare name can stand for, those named as it is (市公安局 + 恩施: 恩施市, not 恩施州)."""
    if len(options) > 1 and head:
        named = [d for d in options if d.name.endswith(("县", "旗") if head == "县" else head)]
        return named or options
    return options


def head_of(agency: str) -> str | None:
    return next((h for h in HEADS if agency.startswith(h)), None)


def with_place(agency: str, d: places.Division) -> str:
    """The full name of a bare ``agency`` in division ``d``: 市公安局 + 丽水市 → 丽水市公安局."""
    return d.name + agency[len(head_of(agency) or "") :]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。；;！？\n]", text) if s]


def _named_agencies(text: str, agency: str, head, weights) -> list[tuple[places.Division, str]]:
    """Agencies written in full in ``text``, of ``agency``'s kind and a place ``head`` fits."""
    sector = sector_of(agency)
    out = []
    for name in agencies_in(text):
        if bare(name) or sector_of(name) != sector:
            continue
        d = places.resolve(name, weights)
        if d is not None and fits(head, d):
            out.append((d, name))
    return out


_WE = r"[“\"]?(?:我|本)(?:分局|局|厅|委|办)[”\"]?"
_APPOSITION_AFTER = re.compile(rf"\s*[（(]\s*(?:以下|下)?(?:简称|称)?\s*{_WE}\s*[)）]")  # X（以下简称我局）
_APPOSITION_BEFORE = re.compile(rf"{_WE}\s*[（(]\s*$")  # 我局（X）


def statement(shadow: str, agency: str, weights) -> Clue | None:
    """The bureau naming itself in full beside 我局: 洛阳市公安局（以下简称我局）…, 我局（洛阳市公安局）…
    (a sentence in which 我局 works with another bureau names that one: 我局与宁波市公安局…)."""
    head = head_of(agency)
    for s in _sentences(shadow):
        if not _SELF.search(s):
            continue
        masked = _CITED.sub(lambda m: "＿" * len(m.group(0)), _GUIDED_BY.sub(lambda m: "＿" * len(m.group(0)), s))
        for d, name in _named_agencies(masked, agency, head, weights):
            at = masked.find(name)
            if _APPOSITION_AFTER.match(masked, at + len(name)) or _APPOSITION_BEFORE.search(masked[:at]):
                return Clue(d, "body", s.strip()[:80])
    return None


def cited_title(shadow: str, agency: str, weights) -> Clue | None:
    """A document the bureau issued, cited by title: 《X市公安局关于…》 (a superior's is of another rank)."""
    head = head_of(agency)
    for m in _CITED.finditer(shadow):
        title = m.group(1)
        for d, name in _named_agencies(title, agency, head, weights):
            if title.startswith(name):
                return Clue(d, "cited_title", m.group(0))
    return None


def slogan(shadow: str, agency: str, weights) -> Clue | None:
    """法治X / 平安X / “X公安” with X a division of the rank the bare name stands for."""
    head = head_of(agency)
    counts: Counter = Counter()
    texts: dict[str, str] = {}
    divs: dict[str, places.Division] = {}
    for m in places.gazetteer().mentions(shadow):
        before = shadow[max(0, m.start - 2) : m.start]
        quoted = shadow[m.start - 1 : m.start] in _QUOTES_OPEN and shadow[m.end : m.end + 2] == "公安" and (
            shadow[m.end + 2 : m.end + 3] in _QUOTES_CLOSE)
        if before not in _SLOGAN_BEFORE and not quoted:
            continue
        options = narrow(head, [d for d, _q in m.candidates if fits(head, d)])
        if len(options) > 1:
            options = [d for d in options if weights.get(d.code, 0)] or options
        if len(options) == 1:
            d = options[0]
            counts[d.code] += 1
            divs[d.code] = d
            texts.setdefault(d.code, shadow[m.start - 2 : m.end] if not quoted else shadow[m.start - 1 : m.end + 3])
    if not counts:
        return None
    code = _innermost(counts, divs).most_common(1)[0][0]
    return Clue(divs[code], "slogan", texts[code])


def _innermost(counts: Counter, divs: dict) -> Counter:
    """Leave out places that contain another counted one: a county-level city's report names its
    prefecture's campaign too (平安宁波 … 法治余姚), a prefecture's seldom one of its counties'."""
    gaz = places.gazetteer()
    inner = {code for code, d in divs.items() if any(a.code in counts for a in gaz.ancestors(d))}
    outer = {a.code for code in inner for a in gaz.ancestors(divs[code])}
    return Counter({code: n for code, n in counts.items() if code not in outer})


_ELSEWHERE = re.compile(r"(?:赴|到|去|前往|与|和|同|向|学习|借鉴|邀请|协作|参观|考察|交流|对口|帮扶|援)[^，,、]{0,3}$")


def own_area(shadow: str, agency: str, weights) -> Clue | None:
    """The place the bureau's sentences about itself (我局 / 我分局 / 辖区 …) name most, at least twice and
    more than any other; places it goes to or works with (赴杭州, 与宁波…) are not its own."""
    head = head_of(agency)
    counts: Counter = Counter()
    first: dict[str, str] = {}
    divs: dict[str, places.Division] = {}
    for s in _sentences(shadow):
        if not _SELF.search(s):
            continue
        s = _SLOGAN_WORDS.sub(lambda m: "＿" * len(m.group(0)), _GUIDED_BY.sub(lambda m: "＿" * len(m.group(0)), s))
        for m in places.gazetteer().mentions(s):
            if _ELSEWHERE.search(s[max(0, m.start - 6) : m.start]):
                continue
            options = narrow(head, [d for d, q in m.candidates if fits(head, d)])
            if len(options) == 1:
                counts[options[0].code] += 1
                divs[options[0].code] = options[0]
                first.setdefault(options[0].code, s.strip()[:80])
    ranked = _innermost(counts, divs).most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return Clue(divs[ranked[0][0]], "body", first[ranked[0][0]])


@dataclass(frozen=True)
class DocNumber:
    prefix: str
    kind: str  # 人民政府, 公安局 …
    addressee: places.Division | None
    text: str
    lines: tuple[int, ...]  # line numbers of the document number and the addressee line


def doc_number(lines: list[str]) -> DocNumber | None:
    """A document number at the top (萍政〔2024〕5号) and the addressee line under it (江西省人民政府：)."""
    top = [(i, ln.strip()) for i, ln in enumerate(lines[:12]) if ln.strip()]
    for n, (i, line) in enumerate(top):
        m = _DOC_NUMBER.match(line)
        if not m:
            continue
        for j, nxt in top[n + 1 : n + 4]:
            if a := _ADDRESSEE.match(nxt):
                div = places.resolve(a.group(1))
                return DocNumber(m.group(1), DOC_KINDS[m.group(2)], div, f"{line} {nxt}", (i, j))
        return DocNumber(m.group(1), DOC_KINDS[m.group(2)], None, line, (i,))
    return None


@lru_cache(maxsize=1)
def _short_names() -> dict[str, list[str]]:
    raw = json.loads(resources.files("indexer").joinpath("data/hosts.json").read_text(encoding="utf-8"))
    return raw.get("short_names", {})


def doc_number_clue(number: DocNumber | None, agency: str) -> Clue | None:
    """The division under the addressee whose name starts with the number's prefix (or whose short name it is)."""
    if number is None or number.addressee is None:
        return None
    gaz = places.gazetteer()
    head = head_of(agency)
    under = [d for d in gaz.by_code.values()
             if number.addressee in gaz.ancestors(d) and fits(head, d) and not d.code.startswith("former")]
    options = [d for d in under if d.name.startswith(number.prefix)]
    if not options:
        names = set(_short_names().get(number.prefix, []))
        options = [d for d in under if d.name in names]
    if len(options) != 1:
        return None
    return Clue(options[0], "doc_number", number.text)


def url_clue(url: str | None, agency: str, weights) -> tuple[Clue | None, str | None]:
    """(clue, note) from the page's address; the note names same-sounding places left open."""
    match = address.match_host(url)
    if match is None or not match.divisions:
        return None, None
    head = head_of(agency)
    div, note = address.settle(match, lambda d: fits(head, d), weights, lambda options: narrow(head, options))
    return (Clue(div, "url", url) if div else None), note


def find_place(shadow: str, agency: str, weights, number: DocNumber | None, url: str | None):
    """(clue, note): the first clue, in order of reliability, naming the place of a bare ``agency``."""
    for find in (statement, cited_title, slogan, own_area):
        if clue := find(shadow, agency, weights):
            return clue, None
    if clue := doc_number_clue(number, agency):
        return clue, None
    return url_clue(url, agency, weights)
