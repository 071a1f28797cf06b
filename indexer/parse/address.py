"""Indexer stage 2 (parse), address: the web address a report came from → the divisions and the kind of agency
its host names (yuyao.gov.cn → 余姚市; police.ningbo.gov.cn → 宁波市, 公安局; gat.zj.gov.cn → 浙江省, 公安厅).

A host's labels are matched against the pinyin of every division's name (pypinyin over the divisions dataset,
``indexer/data/pca-code.json``) and the abbreviations of ``indexer/data/hosts.json`` (zj, sz, tj …); the kind
of agency comes from labels such as gaj, gat, sfj (the same file). Same-sounding places (福州 / 抚州 are both
fuzhou) are all returned: the caller settles them with the text's own clues or leaves them open.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from indexer.parse import places

# A labelled address line (来源：, 原文链接：, 网址：) or a bare address anywhere in the page's clutter.
_URL = re.compile(r"(?:https?://|(?<![\w.@/])www\.)[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:/[^\s<>\"'，。；）)】]*)?")
_LABELLED = re.compile(r"(?:来源|原文链接|原文地址|网址|链接|地址|URL|url)\s*[:：]\s*(\S+)")


@dataclass(frozen=True)
class HostMatch:
    host: str
    divisions: tuple[places.Division, ...]  # the places the host can name, most specific label's; () if none
    kind: str | None  # 公安局, 公安厅, 司法局 … when a label names the agency type

    @property
    def ambiguous(self) -> bool:
        return len(self.divisions) > 1


def find_url(text: str) -> str | None:
    """The page's address as a text file keeps it: a 来源: / 原文链接: / 网址: line, else the first bare URL."""
    head = text[:3000] + "\n" + text[-2000:]
    for m in _LABELLED.finditer(head):
        if u := _URL.match(m.group(1)):
            return u.group(0)
    m = _URL.search(head)
    return m.group(0) if m else None


@lru_cache(maxsize=1)
def _hosts() -> dict:
    return json.loads(resources.files("indexer").joinpath("data/hosts.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def pinyin_index() -> dict[str, tuple[places.Division, ...]]:
    """Host label → the divisions it can name: the pinyin of each division's label (宁波 → ningbo), of a
    county's stem and its full name (余姚 → yuyao, 萧山区 → xiaoshanqu), plus the abbreviations data."""
    from pypinyin import lazy_pinyin

    gaz = places.gazetteer()
    index: dict[str, dict[str, places.Division]] = {}

    def add(key: str, div: places.Division) -> None:
        if key:
            index.setdefault(key, {})[div.code] = div

    for div in gaz.by_code.values():
        if div.code.startswith("former"):
            continue
        names = {div.name, div.label}
        if div.rank == 3:
            names.update(places.county_stems(div.name))
        for name in names:
            add("".join(lazy_pinyin(name)).lower(), div)
    by_name: dict[str, list[places.Division]] = {}
    for div in gaz.by_code.values():
        by_name.setdefault(div.name, []).append(div)
    for label, names in _hosts()["abbreviations"].items():
        for name in names:
            for div in by_name.get(name, []):
                add(label, div)
    return {k: tuple(sorted(v.values(), key=lambda d: d.code)) for k, v in index.items()}


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def match_host(url: str | None) -> HostMatch | None:
    """What the host of ``url`` names; None without a host. Only government hosts (``.gov.cn``) are read: a
    mirror's or a news site's labels say nothing of the report. Labels are read from the right (the province
    before the city before the county): a label's places must lie inside the previous label's."""
    host = host_of(url)
    if not host:
        return None
    if not host.endswith(".gov.cn"):
        return HostMatch(host, (), None)  # a mirror or a news site names nothing of the report's place
    data = _hosts()
    index = pinyin_index()
    gaz = places.gazetteer()
    kind = None
    chosen: tuple[places.Division, ...] = ()
    for label in reversed(host.split(".")):
        if label in data["ignore"] or label.isdigit():
            continue
        if label in data["agencies"]:
            kind = kind or data["agencies"][label]
            continue
        found = index.get(label, ())
        if chosen and found:
            inside = tuple(d for d in found if any(c in gaz.ancestors(d) for c in chosen))
            found = inside or ()
        if found:
            chosen = found
    return HostMatch(host, chosen, kind)


def settle(match: HostMatch, fits, weights, narrow=None) -> tuple[places.Division | None, str | None]:
    """(division, note): the one place ``match`` names that ``fits`` accepts, settled by the places the text
    names itself (``weights``: the province it names) and, among same-sounding places, a prefecture over a
    city district (a district's site lives under its city's host); else (None, a note naming the options)."""
    gaz = places.gazetteer()
    options = [d for d in match.divisions if fits(d)]
    if narrow is not None:
        options = narrow(options)  # the caller's own preference: a bare 市公安局 is a 市's
    if len(options) > 1:
        named = [d for d in options if any(weights.get(a.code, 0) for a in [d, *gaz.ancestors(d)])]
        options = named or options
    if len(options) > 1:
        higher = [d for d in options if not (d.rank == 3 and d.name.endswith("区"))]
        options = higher if len(higher) == 1 else options
    if len(options) > 1:  # 恩施州 and its seat 恩施市 are both enshi: the short host is the prefecture's
        tops = [d for d in options if not any(a in options for a in gaz.ancestors(d))]
        options = tops if len(tops) == 1 else options
    if len(options) == 1:
        return options[0], None
    if options:
        return None, f"{match.host}: " + " / ".join(
            f"{d.name}（{d.province}{'·' + d.city if d.city and d.rank == 3 else ''}）" for d in options)
    return None, None


def host_label(div: places.Division) -> str:
    """The host label a division's pinyin gives (宁波市 → ningbo, 萧山区 → xiaoshan): how sites name it."""
    from pypinyin import lazy_pinyin

    if div.rank == 3:
        stems = places.county_stems(div.name)
        name = stems[0] if stems else div.name
    else:
        name = div.label
    return "".join(lazy_pinyin(name)).lower()
