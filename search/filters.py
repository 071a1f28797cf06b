"""Filters (read side, before matching): the values people type → the values the index holds.

A filter matches a report when its value equals the report's stored value, and the stored forms are short
(provinces and cities without 省 / 市: 广东, 杭州; counties with their suffix: 萧山区; agencies in full:
杭州市公安局萧山区分局). People type 广东省, 杭州市, 萧山, 四平. ``resolve`` maps each typed value onto the
index's own values of that field (the facet labels of the open generation, which the parser took from the
divisions dataset), after the same width / traditional / case folding as queries:

- a value the index holds stays as it is;
- a place (province, city, county) matches the held name it equals once an administrative suffix is left
  off either side (省, 市, 区, 县, 旗, 盟, 地区, 自治区 / 州 / 县 / 旗 with the ethnic part: 广西壮族自治区 →
  广西, 乳源 → 乳源瑶族自治县);
- an agency matches the one agency it begins (四平 → 四平市公安局), else the one agency it is part of;
- a section kind must be one of ``search.schema.KINDS``.

A value matching no held value, or several, raises ``FilterError`` (a ``QueryError``) carrying close values
(``difflib``; all of a field's few values when none is close) or the candidates, so the CLI and the web can say what to type instead: never a silent empty
result.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from search.analysis import normalize_text
from search.query import QueryError
from search.schema import KINDS, VALUE_FACETS

PLACE_FIELDS = ("province", "city", "county")
# What may follow a place's name in its official form.
_DIVISION_SUFFIX = re.compile(r"^(?:省|市|区|县|旗|盟|地区|林区|特区|特别行政区|.{0,12}自治[区州县旗])$")
CLOSE_VALUES = 6
FEW = 12  # a field with at most this many values (kinds, levels) lists them all when none is close


class FilterError(QueryError):
    """A filter value that matches none of the index's values (``close``: the nearest ones), or several
    (``ambiguous``: all of them)."""

    def __init__(self, field: str, value: str, close: list[str], ambiguous: bool = False, every: bool = False):
        self.field, self.value, self.close, self.ambiguous, self.every = field, value, close, ambiguous, every
        super().__init__(f"{field} {value}: {self.reason}")

    @property
    def reason(self) -> str:
        if self.ambiguous:
            return f"matches several values, give one of: {', '.join(self.close)}"
        if self.every:
            return f"not in the index; the values are: {', '.join(self.close)}"
        if self.close:
            return f"not in the index; close values: {', '.join(self.close)}"
        return "not in the index"


def resolve(request, labels: dict[str, list]):
    """A copy of ``request`` with every filter value replaced by the index value it means; ``labels``: per
    facet field, the values the index holds (``search.columns``). Raises ``FilterError``."""
    changes = {name: resolve_values(name, getattr(request, name), held_values(labels, name))
               for name in VALUE_FACETS if getattr(request, name)}
    return replace(request, **changes) if changes else request


def held_values(labels: dict[str, list], name: str) -> list[str]:
    """The values a filter on ``name`` can take: the index's (the section kinds: all of them)."""
    return list(KINDS) if name == "kind" else [str(v) for v in labels.get(name, []) if v is not None]


def resolve_values(name: str, typed: list[str], held: list[str]) -> list[str]:
    """The held values ``typed`` means, in order, without duplicates."""
    return list(dict.fromkeys(resolve_value(name, value, held) for value in typed))


def resolve_value(name: str, typed: str, held: list[str]) -> str:
    if typed in held:
        return typed
    folded = {value: normalize_text(value) for value in held}
    wanted = normalize_text(typed.strip())
    for rule in _rules(name):
        found = [value for value in held if rule(wanted, folded[value])]
        if len(found) == 1:
            return found[0]
        if found:
            raise FilterError(name, typed, sorted(found, key=lambda v: (len(v), v))[:CLOSE_VALUES * 2], True)
    close = close_values(wanted, folded)
    if not close and len(held) <= FEW:
        raise FilterError(name, typed, list(held), every=True)
    raise FilterError(name, typed, close)


def _rules(name: str):
    """The ways a typed (folded) value may mean a held (folded) one, tried in turn until one matches."""
    rules = [lambda typed, value: typed == value]
    if name in PLACE_FIELDS:
        rules.append(same_place)
    elif name == "agency":
        rules += [lambda typed, value: value.startswith(typed), lambda typed, value: typed in value]
    return rules


def same_place(typed: str, value: str) -> bool:
    """Whether two place names differ only by one side's administrative suffix (广东省 / 广东)."""
    if typed == value:
        return True
    short, long = sorted((typed, value), key=len)
    return len(short) >= 2 and long.startswith(short) and bool(_DIVISION_SUFFIX.match(long[len(short):]))


def close_values(wanted: str, folded: dict[str, str]) -> list[str]:
    """The held values nearest to ``wanted`` (by their folded forms), best first."""
    by_fold = {}
    for value, fold in folded.items():
        by_fold.setdefault(fold, value)
    near = difflib.get_close_matches(wanted, list(by_fold), n=CLOSE_VALUES, cutoff=0.3)
    return [by_fold[f] for f in near]
