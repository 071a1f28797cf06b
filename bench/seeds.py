"""Benchmark input: the seed reports in corpus/ cut into reusable parts for the synthetic-corpus generator.

Each seed is split into preamble paragraphs, level-1 sections (heading + kind) and their level-2 blocks (or
plain paragraphs when a section has none). Place names and the report's years become placeholders so a part
can be re-used for any agency and year: ``⟦P⟧`` province, ``⟦C⟧`` city, ``⟦X⟧`` county, ``⟦Y0⟧`` the work
year, ``⟦Y1⟧`` the next year, ``⟦Ym⟧`` the year before.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PCA = ROOT / "indexer" / "data" / "pca-code.json"

CN_NUM = "一二三四五六七八九十"
LEVEL1 = re.compile(rf"^(?:[{CN_NUM}]+、|\d+、\s)")
LEVEL2 = re.compile(rf"^[（(][{CN_NUM}]+[）)]")
YEAR_WORD = re.compile(r"(20\d\d)年")
PLACEHOLDER = re.compile(r"⟦\w+⟧")

PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@dataclass
class Section:
    kind: str  # 举措成效 | 问题不足 | 第一责任人 | 下年安排
    heading: str  # without its "一、" marker
    blocks: list[str] = field(default_factory=list)  # level-2 blocks, without their "（一）" marker
    paragraphs: list[str] = field(default_factory=list)  # body lines when there are no level-2 blocks


@dataclass
class SeedParts:
    preambles: list[list[str]] = field(default_factory=list)  # per seed, its preamble paragraphs
    sections: list[Section] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]


def short_province(name: str) -> str:
    for suffix in PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def load_pca(path: Path = PCA) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def place_names(pca: list[dict]) -> list[tuple[str, str]]:
    """(name, placeholder) for every province, prefecture city and county, full and short forms."""
    names = []
    for prov in pca:
        names += [(prov["name"], "⟦PF⟧"), (short_province(prov["name"]), "⟦P⟧")]
        for city in prov.get("children", []):
            if city["name"].endswith("市"):
                names += [(city["name"], "⟦CF⟧"), (city["name"][:-1], "⟦C⟧")]
            for county in city.get("children", []):
                if len(county["name"]) >= 3:
                    names.append((county["name"], "⟦X⟧"))
    return names


def clean(line: str) -> str:
    return line.replace("\xa0", " ").replace("\u3000", " ").strip()


def templatize(text: str, year: int, places: list[tuple[str, str]]) -> str:
    """Replace the seed's own place names and years by placeholders (longest names first)."""
    for name, token in places:
        if len(name) >= 2 and name in text:
            text = text.replace(name, token)
    years = {year: "⟦Y0⟧", year + 1: "⟦Y1⟧", year - 1: "⟦Ym⟧"}
    return YEAR_WORD.sub(lambda m: (years.get(int(m.group(1))) or m.group(1)) + "年", text)


def kind_of(heading: str) -> str:
    if "问题" in heading or "不足" in heading:
        return "问题不足"
    if "第一责任人" in heading or "主要负责人" in heading:
        return "第一责任人"
    if any(w in heading for w in ("下一步", "思路", "安排", "计划", "打算")):
        return "下年安排"
    return "举措成效"


def seed_year(lines: list[str]) -> int:
    """The work year: the most frequent year word (the report talks about its own year most)."""
    counts = Counter(int(y) for line in lines for y in YEAR_WORD.findall(line))
    return counts.most_common(1)[0][0] if counts else 2021


def split_seed(text: str, places: list[tuple[str, str]]) -> tuple[list[str], list[Section]]:
    lines = [clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    year = seed_year(lines)
    first = next(i for i, line in enumerate(lines) if LEVEL1.match(line))
    # the preamble: the long prose lines before the first heading (titles and page clutter are short)
    preamble = [templatize(line, year, places) for line in lines[:first] if len(line) >= 80 and "。" in line]
    sections: list[Section] = []
    for line in lines[first:]:
        if LEVEL1.match(line):
            heading = templatize(LEVEL1.sub("", line).strip(), year, places)
            sections.append(Section(kind=kind_of(heading), heading=heading))
        elif LEVEL2.match(line):
            sections[-1].blocks.append(templatize(LEVEL2.sub("", line), year, places))
        elif len(line) < 30 and "。" not in line:
            continue  # signature, date, page clutter
        elif sections[-1].blocks:
            sections[-1].blocks[-1] += "\n" + templatize(line, year, places)
        else:
            sections[-1].paragraphs.append(templatize(line, year, places))
    return preamble, [s for s in sections if s.blocks or s.paragraphs]


def load_seed_parts(corpus_dir: Path = CORPUS, pca: list[dict] | None = None) -> SeedParts:
    places = sorted(place_names(pca or load_pca()), key=lambda p: -len(p[0]))
    parts = SeedParts()
    for path in sorted(corpus_dir.glob("*.txt")):
        preamble, sections = split_seed(path.read_text(encoding="utf-8"), places)
        if preamble:
            parts.preambles.append(preamble)
        parts.sections += sections
    return parts
