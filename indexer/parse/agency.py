"""Indexer stage 2 (parse), agency: who wrote the report: the agency's full name, its places, level and sector.

The agency is looked for in the title, the page's metadata (发布机构 …), the signature and the first
sentence; a name the page cut short (市公安局萧山区分局, 市公安局) gets its city back from the places the
report names (``places``). Reads the simplified-script shadow of the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from indexer.parse import places

# Kinds of agency, most specific first, with their sector.
_KIND_SECTORS = (
    ("公安", "police"),
    ("司法", "justice"),
    ("市场监督管理", "market_regulation"),
    ("市场监管", "market_regulation"),
    ("生态环境", "ecology_environment"),
    ("环境保护", "ecology_environment"),
    ("人民政府", "government"),
    ("政府办", "government"),
)
# Any government office, for strings already known to name one (a signature, a title's prefix).
ANY_OFFICE = re.compile(r"(?:局|厅|委员会|办公室|办公厅|政府|分局|中心|署)$")
_PLACE_CHARS = re.compile(r"[\u4e00-\u9fff]+$")
_ZONE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:新区|开发区|高新区|区|县|旗)")  # a place the dataset lacks
_BRANCH = r"(?:(?![和与及](?:各|区|县|市|其|所|下|有关))[^\s，,。、；;：:各的等在对“”《》（）()]{1,8}?分局)"
AGENCY = re.compile(
    rf"(?:公安厅|公安局{_BRANCH}?|公安分局|公安处|司法厅|司法局|市场监督管理局{_BRANCH}?|市场监管局|"
    rf"生态环境厅|生态环境局{_BRANCH}?|人民政府(?:办公厅|办公室)?|政府办公室|政府办)"
)


def sector_of(agency: str | None) -> str | None:
    """The sector of an agency by its kind: 公安 → police, 司法 → justice, 人民政府 → government …"""
    if not agency:
        return None
    for word, sector in _KIND_SECTORS:
        if word in agency:
            return sector
    return "other"


def _with_places(text: str, end: int) -> int:
    """Where the place names that end at ``end`` begin (``end`` when none): 2020年,江门市|公安局 → 江门市."""
    m = _PLACE_CHARS.search(text[max(0, end - 24) : end])
    if not m:
        return end
    window_start = max(0, end - 24) + m.start()
    window = text[window_start:end]
    start = end
    for mention in reversed(places.gazetteer().mentions(window)):
        gap = window[mention.end : start - window_start]
        if gap and gap not in ("市", "省", "区", "县", "自治区") and not _ZONE.fullmatch(gap):
            break
        start = window_start + mention.start
    if start == end and window[-2:] == "地区":
        start = end - 2  # "地区公安局": the page dropped the prefecture
    elif start == end and window[-1:] in ("市", "省", "区", "县", "州", "盟"):
        start = end - 1  # "市公安局": the page dropped the city
    return start


def agencies_in(text: str) -> list[str]:
    """Agency names in running text, each with the place names written before it."""
    out = []
    for m in AGENCY.finditer(text):
        start = _with_places(text, m.start())
        out.append(text[start : m.end()])
    return out


def office(s: str | None) -> str | None:
    """``s`` if it reads as an office name (a signature line, a metadata value), else None."""
    if not s:
        return None
    s = re.sub(r"\s+", "", s).strip("()（）【】[]")
    found = agencies_in(s)
    if found:
        return max(found, key=len)
    return s if 3 <= len(s) <= 30 and ANY_OFFICE.search(s) and not re.search(r"[，,。：:]", s) else None


def _title_agency(title: str | None) -> str | None:
    """The agency a title names: 广州市公安局2021年… → 广州市公安局; 2020年静海区法治… → 静海区人民政府."""
    if not title:
        return None
    t = re.sub(r"^关于", "", re.sub(r"\s+", "", title))
    t = re.sub(r"(?:20\d\d|[二〇○零][〇○零一二三四五六七八九]{3})年度?|（[^）]*）|\([^)]*\)", "", t)
    m = re.search(r"关于|法治|依法|年度|工作|推进", t)
    head = t[: m.start()] if m else ""
    if not head:
        return None
    return office(head) or (head + "人民政府" if _is_place(head) else None)


def _is_place(text: str) -> bool:
    """``text`` is made of place names only (静海区, 天津市静海区)."""
    return bool(text) and _with_places(text, len(text)) == 0 and places.gazetteer().mentions(text) != []


_SUBJECT = re.compile(r"(?:坚持|全面|深入|认真|始终|紧紧|紧扣|围绕|扎实|持续|按照|高度|积极|着力|聚焦|立足|全力|以习近平|在)")
_GUIDED_BY = re.compile(
    r"在[^，,。；;]{0,60}?(?:领导|指导|监督|支持|关心|帮助|部署)下"
    r"|(?:按照|根据|遵照|依据|落实|贯彻)[^，,。；;]{0,40}?(?:部署|要求|安排|精神|规定|意见|通知|工作要点)"
)


def _place_subject(sentence: str) -> str | None:
    """A place that is the sentence's subject (…领导下,南昌县全面贯彻…): the report of its government."""
    for m in places.gazetteer().mentions(sentence):
        full = any(q == 2 for _, q in m.candidates)
        before = sentence[m.start - 1] if m.start else "，"
        if full and before in "，,、 ：:" and _SUBJECT.match(sentence, m.end):
            return m.text + "人民政府"
    return None


def bare(agency: str) -> bool:
    """An agency name that starts without a place: 市公安局…, 区公安分局, 省司法厅."""
    mentions = places.gazetteer().mentions(agency)
    return not mentions or mentions[0].start > 0


def _most_named_place(counts, fits) -> places.Division | None:
    """The division named most often (directly) among those ``fits`` accepts; ties go to the higher rank."""
    gaz = places.gazetteer()
    best = [
        (n, -gaz.by_code[code].rank, code)
        for code, n in counts.items()
        if code in gaz.by_code and fits(gaz.by_code[code])
    ]
    return gaz.by_code[max(best)[2]] if best else None


def _city_like(d: places.Division) -> bool:
    """What a bare 市 can stand for: a prefecture, a municipality or a county-level city."""
    return d.rank == 2 or (d.rank == 1 and d.is_municipality) or (d.rank == 3 and d.name.endswith("市"))


def complete(agency: str, weights, direct) -> str:
    """Put back the place a page dropped: 市公安局萧山区分局 → 杭州市公安局萧山区分局, 市公安局 → 汕头市公安局.

    ``direct`` counts how often the report names each place itself: a bare 市 is the prefecture, the
    municipality or the county-level city it names most.
    """
    if not bare(agency):
        return agency
    gaz = places.gazetteer()
    own = places.resolve(agency, weights)
    head = agency[0]
    if head == "市":
        if own is not None and own.rank == 3 and own.parent:
            city = gaz.by_code[own.parent]
        else:
            city = _most_named_place(direct, _city_like)
        if city is not None:
            return city.name[:-1] + agency if city.name.endswith("市") else city.name + agency[1:]
    elif head == "省":
        prov = _most_named_place(weights, lambda d: d.rank == 1 and d.name.endswith("省"))
        if prov is not None:
            return prov.name + agency[1:]
    elif head in "区县" and own is None:
        county = _most_named_place(direct, lambda d: d.rank == 3 and d.name.endswith(head))
        if county is not None and direct[county.code] >= 2:
            return county.name + agency[1:]
    return agency


def most_named(text: str) -> str | None:
    """The agency the text names most often with its place (a last resort for reports saying only 我局)."""
    counts: dict[str, int] = {}
    for name in agencies_in(text):
        if not bare(name):
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda k: (counts[k], len(k))) if counts else None


def find_agency(title, fields: dict, signature: str | None, preamble: str, hint: str | None, weights,
                text: str = "", direct=None) -> str | None:
    """The report's agency, full name. ``weights`` is ``places.context_weights(text)``; ``direct``, if given,
    ``places.context_weights(text, propagate=False)`` (``places.context_counts`` gives both in one scan)."""
    best = choose_agency(title, fields, signature, preamble, hint, weights, text)
    if best is None:
        return None
    if direct is None:
        direct = places.context_weights(text, propagate=False)
    return complete(best.name, weights, direct)


@dataclass(frozen=True)
class Found:
    """An agency name as a report gives it, and where: ``source`` is one of ``indexer.model.EVIDENCE_SOURCES``."""

    name: str
    source: str
    text: str


_PAGE_KEYS = ("发布机构", "发文机关", "发文机构", "发布机关", "发布单位", "发文单位", "公开主体", "所属机构")


def choose_agency(title, fields: dict, signature: str | None, preamble: str, hint: str | None, weights,
                  text: str = "") -> Found | None:
    """The report's agency as written (a bare 市公安局 not yet completed, see ``complete``), with its source."""
    first_sentence = re.split(r"[。]", preamble, maxsplit=1)[0][:200]
    # Agencies the report is "guided by" (在市委…和省公安厅的领导下) are not the report's own.
    in_text = agencies_in(_GUIDED_BY.sub(lambda m: "＿" * len(m.group(0)), first_sentence))
    own = [Found(c, src, t) for c, src, t in (
        (_title_agency(title), "title", title),
        (signature, "signature", signature),
        (in_text[0] if in_text else None, "body", first_sentence),
        (_place_subject(first_sentence), "body", first_sentence),
    ) if c]
    page = [Found(c, "metadata_block", f"{k} {fields[k]}") for k in _PAGE_KEYS if (c := office(fields.get(k)))]
    rest = [Found(c, "metadata_block", t) for c, t in [(office(hint), hint)] if c]
    rest += [Found(c, "metadata_block", f"{k} {fields[k]}") for k in ("信息来源", "文章来源", "来源")
             if (c := office(fields.get(k)))]
    head = own[:1] if own and own[0].source == "title" else []
    candidates = head + page + [f for f in own if f not in head] + rest
    if not candidates and text:
        candidates = [Found(c, "inferred", c) for c in [most_named(text)] if c]
    if not candidates:
        return None
    primary = candidates[0]
    if primary.name not in {f.name for f in own} and sector_of(primary.name) in ("government", "other"):
        # A portal often names itself (…人民政府办公室) as the publisher of a bureau's report.
        # What the report itself says wins; else the bureau its text names most.
        named = own or [Found(c, "inferred", c) for c in [most_named(text)]
                        if c and sector_of(c) not in ("government", "other")]
        primary = named[0] if named else primary
    sector = sector_of(primary.name)
    same = [c for c in candidates if sector_of(c.name) == sector]
    division = {c.name: places.resolve(c.name, weights) for c in [*same, primary]}
    base = division[primary.name]
    gaz = places.gazetteer()

    def fits(div):
        return base is None or div.code == base.code or base in gaz.ancestors(div)

    return max(
        (c for c in same if division[c.name] is not None and fits(division[c.name])),
        key=lambda c: (division[c.name].rank, not bare(c.name), c.name == primary.name),
        default=primary,
    )


def level_of(agency: str, div: places.Division | None) -> tuple[str | None, str | None]:
    """(level, county label) of an agency whose most specific place is ``div``."""
    # A branch (…分局) or a zone's bureau (两江新区公安分局) below a named city or province is district level.
    zone = re.search(r"(?:新区|开发区|高新区|园区|港区|管理区)[^市县省区]{0,6}局$", agency)
    branch = "分局" in agency or zone is not None
    if div is None:
        return ("district" if branch else None), None
    if div.rank == 1:
        return ("district" if branch else "provincial"), None
    if div.rank == 2:
        return ("district" if branch else "city"), None
    if re.search(r"公安局.+分局", agency):
        return "district", div.county  # a branch of a city's bureau (沙县分局 since 沙县 became a district)
    suffix = div.name[-1]  # else as written: 临安市公安局 (before 2017) is a county-level city's bureau
    for m in places.gazetteer().mentions(agency):
        if any(d.code == div.code for d, _ in m.candidates):
            nxt = agency[m.end : m.end + 1]
            suffix = m.text[-1] if m.text[-1] in "区县市旗" else (nxt if nxt in "区县市旗" else suffix)
            if m.text[-1] not in "区县市旗" and nxt not in "区县市旗" and "分局" in agency:
                suffix = "区"
    # 六枝特区 and 神农架林区 (a forest district directly under its province) are no districts; 金林区 and 万柏林区,
    # districts of their prefectures, are.
    gaz = places.gazetteer()
    special = div.name.endswith("特区") or (
        div.name.endswith("林区") and div.parent is not None and gaz.by_code[div.parent].rank == 1)
    district = suffix == "区" and not special
    return ("district" if district else "county"), div.county




@lru_cache(maxsize=1)
def _short_forms() -> list[tuple[str, str]]:
    raw = json.loads(resources.files("indexer").joinpath("data/agency-names.json").read_text(encoding="utf-8"))
    return sorted(raw["short_forms"].items(), key=lambda kv: -len(kv[0]))


def official_name(agency: str | None) -> str | None:
    """An agency's full official form: 荆州市市场监管局 → 荆州市市场监督管理局 (``data/agency-names.json``)."""
    if not agency:
        return agency
    for short, full in _short_forms():
        if agency.endswith(short) and not agency.endswith(full):
            return agency[: -len(short)] + full
    return agency
