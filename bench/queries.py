"""Benchmark input: a deterministic query set drawn from the seed reports' text and the real place names.

Kinds: ``frequent`` and ``rare`` jieba words (2–8 characters), ``subword`` (a 2–8 character run cut across
jieba word boundaries, like 局长信箱 or 法治公安建), ``place`` (a county or city name: few reports),
``multi`` (2–3 terms, all required), ``facet`` (a term with a province and/or year filter). Page furniture
strings are left out: the parser may rightly drop them from a report's text, so grep is no truth for them.
"""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

import jieba

from bench.corpus import CLUTTER_HEAD, CLUTTER_TAIL, META_LINES, YEARS, agencies
from bench.seeds import PLACEHOLDER, load_pca, load_seed_parts

jieba.setLogLevel(logging.WARNING)

RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
MIX = (("frequent", 0.2), ("rare", 0.15), ("subword", 0.2), ("place", 0.1), ("multi", 0.2), ("facet", 0.15))


@dataclass
class Query:
    q: str
    kind: str
    province: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    @property
    def terms(self) -> list[str]:
        return self.q.split()

    def to_dict(self) -> dict:
        return asdict(self)


def seed_runs() -> list[str]:
    """Runs of letters/digits/CJK in the seed parts, placeholders cut out (they vary per report)."""
    parts = load_seed_parts()
    texts = sum(parts.preambles, []) + [s.heading for s in parts.sections]
    texts += [t for s in parts.sections for t in s.blocks + s.paragraphs]
    return [run for t in texts for run in RUN.findall(PLACEHOLDER.sub("|", t))]


def furniture() -> str:
    return "\n".join(sum(CLUTTER_HEAD + CLUTTER_TAIL, ()) + META_LINES)


class QueryMaker:
    def __init__(self, seed: int):
        self.rng = random.Random(f"queries:{seed}")
        self.runs = [r for r in seed_runs() if len(r) >= 2]
        counts = Counter(w for r in self.runs for w in jieba.lcut(r) if CJK_WORD.match(w))
        words = sorted(w for w in counts if w not in furniture())
        self.frequent = sorted(words, key=lambda w: (-counts[w], w))[:150]
        self.rare = [w for w in words if counts[w] == 1]
        self.word_set = set(words)
        by_level = agencies(load_pca())
        names = {a.county for a in by_level["county"] + by_level["district"]} | {a.city for a in by_level["city"]}
        self.places = sorted(n for n in names if n and 2 <= len(n) <= 8)
        self.provinces = sorted({a.province for a in by_level["provincial"]})

    def subword(self) -> str:
        while True:
            run = self.rng.choice(self.runs)
            n = self.rng.randint(2, min(8, len(run)))
            start = self.rng.randint(0, len(run) - n)
            s = run[start : start + n]
            if s not in self.word_set and s not in furniture() and not s.isascii():
                return s

    def term(self) -> str:
        kind = self.rng.choice(("frequent", "rare", "subword"))
        return self.subword() if kind == "subword" else self.rng.choice(getattr(self, kind))

    def make(self, kind: str) -> Query:
        rng = self.rng
        if kind in ("frequent", "rare"):
            return Query(rng.choice(getattr(self, kind)), kind)
        if kind == "subword":
            return Query(self.subword(), kind)
        if kind == "place":
            return Query(rng.choice(self.places), kind)
        if kind == "multi":
            return Query(" ".join(self.term() for _ in range(rng.randint(2, 3))), kind)
        query = Query(rng.choice(self.frequent), kind)
        if rng.random() < 0.7:
            query.province = [rng.choice(self.provinces)]
        if not query.province or rng.random() < 0.5:
            lo = rng.choice(YEARS)
            query.year_from, query.year_to = lo, rng.choice([y for y in YEARS if y >= lo])
        return query


def make_queries(n: int, seed: int = 1) -> list[Query]:
    """n queries in fixed proportions of each kind, deterministic for a seed."""
    maker = QueryMaker(seed)
    kinds = [k for k, share in MIX for _ in range(max(1, round(n * share)))][:n]
    kinds += ["frequent"] * (n - len(kinds))
    return [maker.make(kind) for kind in kinds]


if __name__ == "__main__":
    for query in make_queries(40):
        print(query)
