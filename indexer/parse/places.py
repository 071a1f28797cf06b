"""Indexer stage 2 (parse), places: place names → administrative divisions (province / prefecture / county).

Backed by ``indexer/data/pca-code.json`` (NBS division codes, see ``data/SOURCE.md``), loaded once per process.
Labels follow tests/fixtures/LABELS.md:

- province: without suffix (广东, 内蒙古, 广西, 北京);
- city (prefecture level): without 市 (杭州); an autonomous prefecture, 地区 or 盟 by its geographic
  name without the ethnic part and the suffix (延边朝鲜族自治州 → 延边, 阿克苏地区 → 阿克苏, 兴安盟 → 兴安);
  for a municipality's districts and counties the municipality itself (重庆); None for a county-level city
  directly under a province (仙桃市);
- county: the official name with its suffix (萧山区, 开平市, 乳源瑶族自治县).

A name is found written in full (萧山区, 杭州市, 浙江省), short (杭州, 浙江, 内蒙古) or, for a county,
without its suffix (萧山 → 萧山区). Same-named places are told apart by the other places mentioned.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import product

MUNICIPALITIES = ("北京", "天津", "上海", "重庆")

# Ethnic names used in autonomous-area names; "族" is optional (博尔塔拉蒙古自治州).
_ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 "
    "裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_ETHNIC_RE = "(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + ")族?"
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:{_ETHNIC_RE})+自治(州|县|旗)$")
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$")
# Statistical units that are not administrative divisions (development zones and the like).
_NOT_A_DIVISION = re.compile(r"开发区|管理区|园区|示范区|实验区|合作区|管委会|行政委员会")
# Suffix-less names that are ordinary words in agency names: 公安县 must not match every 公安局.
_STEM_STOPWORDS = {"公安", "城区", "新区", "郊区", "矿区", "市辖"}

# Divisions abolished since 2015 that old reports still name: old name → (successor code, note).
# The old name is kept as the county label; city and province come from the successor.
FORMER_COUNTIES = {
    "江干区": ("330102", "杭州, merged into 上城区 in 2021"),
    "下城区": ("330105", "杭州, merged into 拱墅区 in 2021"),
    "闸北区": ("310106", "上海, merged into 静安区 in 2015"),
    "郫县": ("510117", "成都, became 郫都区 in 2016"),
    "户县": ("610118", "西安, became 鄠邑区 in 2016"),
    "安县": ("510705", "绵阳, became 安州区 in 2016"),
    "大同县": ("140215", "大同, became 云州区 in 2018"),
    "长治县": ("140404", "长治, became 上党区 in 2018"),
    "清河区": ("320812", "淮安, merged into 清江浦区 in 2016"),
    "清浦区": ("320812", "淮安, merged into 清江浦区 in 2016"),
}


@dataclass(frozen=True)
class Division:
    code: str
    name: str  # official full name: 浙江省, 杭州市, 萧山区
    rank: int  # 1 province, 2 prefecture, 3 county
    province: str  # label of its province
    city: str | None  # label of its prefecture (rank 2/3), or None
    county: str | None  # label of the county (rank 3), or None
    parent: str | None  # code of the nearest real ancestor division

    @property
    def label(self) -> str:
        return {1: self.province, 2: self.city, 3: self.county}[self.rank] or self.name

    @property
    def is_municipality(self) -> bool:
        return self.province in MUNICIPALITIES


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    candidates: tuple[tuple[Division, int], ...]  # (division, quality): 2 full name, 1 short form


def city_label(div: "Division | None") -> str | None:
    """The city a division's report is filed under: its prefecture; a municipality itself; None for a
    province or a county-level city directly under one."""
    if div is None:
        return None
    if div.rank == 1:
        return div.province if div.is_municipality else None
    return div.city


def province_label(name: str) -> str:
    return _PROVINCE_SUFFIX.sub("", name) or name


def prefecture_label(name: str) -> str:
    m = _AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    for suffix in ("地区", "盟", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def county_stems(name: str) -> list[str]:
    """Ways a county is written without its suffix: 萧山区 → 萧山, 乳源瑶族自治县 → 乳源 / 乳源县."""
    m = _AUTONOMOUS.match(name)
    if m:
        return [m.group(1), m.group(1) + {"县": "县", "旗": "旗", "州": "州"}[m.group(2)]]
    for suffix in ("新区", "林区", "特区", "区", "县", "市", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            return [] if stem in _STEM_STOPWORDS else [stem]
    return []


class Gazetteer:
    """All divisions with every way of writing them; built once (see ``gazetteer()``)."""

    def __init__(self, tree: list[dict]):
        self.by_code: dict[str, Division] = {}
        self.aliases: dict[str, list[tuple[Division, int]]] = {}
        for prov in tree:
            self._add_province(prov)
        for old, (code, _note) in FORMER_COUNTIES.items():
            succ = self.by_code[code]
            div = Division("former-" + old, old, 3, succ.province, succ.city, old, succ.parent)
            self._alias(old, div, 2)
            for stem in county_stems(old):
                self._alias(stem, div, 1)
        self.max_len = max(len(a) for a in self.aliases)
        if min(len(a) for a in self.aliases) < 2:
            raise ValueError("a one-character place alias: mentions() looks names up by their first two characters")
        self.lengths: dict[str, list[int]] = {}  # first two characters → alias lengths starting so, longest first
        for alias in self.aliases:
            self.lengths.setdefault(alias[:2], []).append(len(alias))
        for head, lens in self.lengths.items():
            self.lengths[head] = sorted(set(lens), reverse=True)
        # Where a name can start: a possible first character followed by a possible second one. Scanning for
        # these in C leaves Python about one position in seven to look up. (One regex alternation of all the
        # aliases gives the same matches but is ~10x slower than even a per-character loop: re has no trie.)
        firsts = "".join(sorted({a[0] for a in self.aliases}))
        seconds = "".join(sorted({a[1] for a in self.aliases}))
        self._starts = re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")
        # What a mention counts for in context_counts: the one division the alias names in full, then its ancestors.
        self.full_name_codes: dict[str, tuple[str, ...]] = {}
        for alias, entries in self.aliases.items():
            full = [d for d, q in entries if q == 2]
            if len(full) == 1:
                self.full_name_codes[alias] = (full[0].code, *(a.code for a in self.ancestors(full[0])))

    def _alias(self, text: str, div: Division, quality: int) -> None:
        entries = self.aliases.setdefault(text, [])
        if all(d.code != div.code for d, _ in entries):
            entries.append((div, quality))

    def _add(self, div: Division, names: list[tuple[str, int]]) -> None:
        self.by_code[div.code] = div
        for text, quality in names:
            self._alias(text, div, quality)

    def _add_province(self, prov: dict) -> None:
        plabel = province_label(prov["name"])
        pdiv = Division(prov["code"], prov["name"], 1, plabel, None, None, None)
        names = [(prov["name"], 2), (plabel, 1)]
        if prov["name"].endswith("自治区"):
            names.append((plabel + "自治区", 2))
        self._add(pdiv, names)
        for pref in prov.get("children", []):
            if pref["name"] in ("市辖区", "县") or "直辖" in pref["name"]:
                # Pseudo level: a municipality's districts / a province's directly-administered counties.
                city = plabel if pdiv.is_municipality else None
                self._add_counties(pref.get("children", []), plabel, city, pdiv.code)
                continue
            clabel = prefecture_label(pref["name"])
            cdiv = Division(pref["code"], pref["name"], 2, plabel, clabel, None, pdiv.code)
            names = [(pref["name"], 2), (clabel, 1)]
            if pref["name"].endswith("自治州"):
                names.append((clabel + "州", 1))
            self._add(cdiv, names)
            self._add_counties(pref.get("children", []), plabel, clabel, cdiv.code)

    def _add_counties(self, children: list[dict], plabel: str, clabel: str | None, parent: str) -> None:
        siblings = {child["name"] for child in children}
        for child in children:
            name = child["name"]
            if name[-1] not in "区县市旗" or _NOT_A_DIVISION.search(name):
                continue  # towns of prefectures without counties (东莞), development zones
            if clabel and name.endswith("新区") and name.startswith(clabel):
                continue  # statistical zones named after their city (兰州新区, 沧州渤海新区)
            stems = [s for s in county_stems(name) if not (name.endswith("新区") and s + "区" in siblings - {name})]
            div = Division(child["code"], name, 3, plabel, clabel, name, parent)
            self._add(div, [(name, 2)] + [(stem, 1) for stem in stems])

    def ancestors(self, div: Division) -> list[Division]:
        out = []
        code = div.parent
        while code:
            anc = self.by_code[code]
            out.append(anc)
            code = anc.parent
        return out

    def mentions(self, text: str) -> list[Mention]:
        """Leftmost-longest, non-overlapping place names in ``text``."""
        aliases = self.aliases
        return [Mention(j, j + len(name), name, tuple(aliases[name])) for j, name in self.names(text)]

    def names(self, text: str) -> list[tuple[int, str]]:
        """``mentions`` as (start, alias) pairs only."""
        found = []
        size = len(text)
        aliases, lengths = self.aliases, self.lengths
        i = 0  # where the last name found ends: names do not overlap
        for start in self._starts.finditer(text):
            j = start.start()
            if j < i:
                continue
            for n in lengths.get(text[j : j + 2], ()):
                if j + n <= size and text[j : j + n] in aliases:
                    found.append((j, text[j : j + n]))
                    i = j + n
                    break
        return found


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    raw = resources.files("indexer").joinpath("data/pca-code.json").read_text(encoding="utf-8")
    return Gazetteer(json.loads(raw))


def context_weights(text: str, propagate: bool = True) -> Counter:
    """How often each division (and, through it, its ancestors unless ``propagate`` is off) is named in full
    in ``text``."""
    weights, direct = context_counts(text)
    return weights if propagate else direct


def context_counts(text: str) -> tuple[Counter, Counter]:
    """``context_weights(text)`` and ``context_weights(text, propagate=False)`` from one scan of ``text``."""
    gaz = gazetteer()
    full_name_codes = gaz.full_name_codes
    weights: Counter = Counter()
    direct: Counter = Counter()
    for _start, name in gaz.names(text):
        codes = full_name_codes.get(name)
        if codes:
            direct[codes[0]] += 1
            for code in codes:
                weights[code] += 1
    return weights, direct


def _consistent(chain: tuple[Division, ...], gaz: Gazetteer) -> bool:
    for a in chain:
        for b in chain:
            if a.code != b.code and a.rank < b.rank and a not in gaz.ancestors(b):
                return False
            if a.code != b.code and a.rank == b.rank:
                return False
    return True


def _best_chain(mentions: list[Mention], weights: Counter, gaz: Gazetteer) -> Division | None:
    """The deepest division of the best consistent reading of all ``mentions`` (None if none is consistent)."""
    if not mentions:
        return None
    options = [m.candidates for m in mentions]
    if len(list(product(*options))) > 512:
        options = [o[:4] for o in options]
    best, best_key = None, None
    for combo in product(*options):
        divs = tuple(d for d, _ in combo)
        if not _consistent(tuple({d.code: d for d in divs}.values()), gaz):
            continue
        deepest = max(divs, key=lambda d: d.rank)
        support = sum(weights.get(d.code, 0) for d in [deepest] + gaz.ancestors(deepest))
        # Each name a different place (白银市…白银分局: the district 白银区); full names beat short forms;
        # a short form prefers the higher rank (吉林 → the province).
        key = (len({d.code for d in divs}), sum(q * 10 - d.rank for d, q in combo), support)
        if best_key is None or key > best_key:
            best, best_key = deepest, key
    return best


def resolve(text: str, context: str | Counter = "") -> Division | None:
    """The most specific division ``text`` names (e.g. an agency name), using ``context`` to break ties.

    杭州市公安局萧山区分局 → 萧山区; 开平市公安局 → 开平市 (a county of 江门); 上海市公安局 → 上海.
    """
    gaz = gazetteer()
    mentions = gaz.mentions(text)
    if not mentions:
        return None
    weights = context if isinstance(context, Counter) else context_weights(context)
    best = _best_chain(mentions, weights, gaz)
    if best is None:
        # Names that cannot go together (郑州市…城东分局: 城东区 is in 西宁): trust the names written in full.
        best = _best_chain([m for m in mentions if any(q == 2 for _, q in m.candidates)], weights, gaz)
    if best is None:
        last = mentions[-1].candidates
        best = max(last, key=lambda c: (c[1], weights.get(c[0].code, 0), -c[0].rank))[0]
    return best
