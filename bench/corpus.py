"""Benchmark input: a deterministic synthetic corpus of N reports recombined from the seed reports.

Each report gets a real agency (a province's 公安厅, a city's 市公安局, a district's 分局 or a county's 公安局,
from ``indexer/data/pca-code.json``), a work year 2019–2024, a title, level-1/level-2 headings in one of the
real styles, seed paragraphs re-filled with its own place names and years, a signature and a date, sometimes
page clutter, and a size drawn log-uniformly from 3–30 KB. Files are named ``synthetic-NNNNN.txt`` and written
outside corpus/; report i depends only on (seed, i), so a 1k corpus is the prefix of the 10k one. A manifest
(``corpus-N.jsonl`` next to the directory) holds each file's true metadata for facet ground truth.

    python -m bench.corpus --reports 1000 [--seed 1] [--out bench/out]
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.seeds import CN_NUM, CORPUS, ROOT, SeedParts, load_pca, load_seed_parts, short_province

MIN_BYTES, MAX_BYTES = 3 * 1024, 30 * 1024
YEARS = range(2019, 2025)
LEVEL_WEIGHTS = {"provincial": 1, "city": 4, "district": 3, "county": 3}
ZONES = ("开发区", "园区", "工业区", "示范区", "管理区", "合作区", "试验区")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

TITLES = (
    "{agency}{year}年法治政府建设年度报告",
    "{agency}{year}年度法治政府建设工作情况报告",
    "{agency}关于{year}年度法治政府建设情况的报告",
    "{agency}{year}年法治政府建设工作报告",
    "{agency}关于{year}年法治政府建设工作情况的报告",
    "{agency}{year}年度法治政府建设情况报告",
)
# page furniture of government sites, kept generic (never seed sentences)
CLUTTER_HEAD = (
    ("当前位置:首页 > 信息公开 > 法治政府建设", "手机版", "扫一扫·打开手机版"),
    ("登录 | 注册",),
    ("首页 > 政务公开 > 法定主动公开内容",),
    ("【字体:大 中 小】 打印本页",),
)
CLUTTER_TAIL = (("相关文件:", "扫一扫在手机打开当前页"), ("【打印本页】 【关闭窗口】",), ("分享到:",))
META_LINES = (
    "发布日期:{pub}    点击数:",
    "时间:{pub} 10:30 来源:本网 访问量:-",
    "索 引 号 | {code}/{pubyear}-{serial} | 成文日期 | {doc} |\n发布机构 | {agency} | 主题分类 | 公安、安全、司法/公安 |",
)


@dataclass
class Agency:
    name: str
    province: str  # short form, e.g. 广东
    city: str | None  # without 市, e.g. 广州; the municipality itself for its districts
    county: str | None  # with suffix, e.g. 萧山区
    level: str
    province_full: str
    city_full: str | None


def agencies(pca: list[dict]) -> dict[str, list[Agency]]:
    """Every real agency of each level, from the administrative divisions."""
    out: dict[str, list[Agency]] = {level: [] for level in LEVEL_WEIGHTS}
    for prov in pca:
        pname, pshort = prov["name"], short_province(prov["name"])
        if pname in MUNICIPALITIES:
            out["provincial"].append(Agency(f"{pname}公安局", pshort, pshort, None, "provincial", pname, pname))
            for group in prov.get("children", []):
                for c in group.get("children", []):
                    level = "district" if c["name"].endswith("区") else "county"
                    name = f"{pname}公安局{c['name']}分局" if level == "district" else f"{c['name']}公安局"
                    out[level].append(Agency(name, pshort, pshort, c["name"], level, pname, pname))
            continue
        out["provincial"].append(Agency(f"{pname}公安厅", pshort, None, None, "provincial", pname, None))
        for city in prov.get("children", []):
            cname = city["name"]
            if not cname.endswith("市"):
                continue  # 自治州/地区/盟 and 省直辖 groups: kept out for clean ground truth
            out["city"].append(Agency(f"{cname}公安局", pshort, cname[:-1], None, "city", pname, cname))
            for c in city.get("children", []):
                if any(w in c["name"] for w in ZONES):
                    continue  # development zones: not districts in the reports' sense
                if c["name"].endswith("区"):
                    a = Agency(f"{cname}公安局{c['name']}分局", pshort, cname[:-1], c["name"], "district", pname, cname)
                    out["district"].append(a)
                elif c["name"].endswith(("县", "市")):
                    out["county"].append(Agency(f"{c['name']}公安局", pshort, cname[:-1], c["name"], "county", pname, cname))
    return out


def cn_ordinal(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    return ("" if n < 20 else CN_NUM[n // 10 - 1]) + "十" + (CN_NUM[n % 10 - 1] if n % 10 else "")


class ReportWriter:
    """Writes one report from the seed parts; all choices come from its own Random."""

    def __init__(self, parts: SeedParts, agency: Agency, year: int, rng: random.Random):
        self.parts, self.agency, self.year, self.rng = parts, agency, year, rng
        self.l1 = "{n}、" if rng.random() < 0.95 else "{i}、 "
        self.l2 = rng.choice(("（{n}）", "({n})"))

    def fill(self, text: str) -> str:
        a = self.agency
        city_full = a.city_full or f"{a.province_full}"
        for token, value in (
            ("⟦PF⟧", a.province_full), ("⟦P⟧", a.province), ("⟦CF⟧", city_full), ("⟦C⟧", a.city or a.province),
            ("⟦X⟧", a.county or a.city or a.province), ("⟦Y0⟧", str(self.year)), ("⟦Y1⟧", str(self.year + 1)),
            ("⟦Ym⟧", str(self.year - 1)),
        ):
            text = text.replace(token, value)
        return text

    def section_plan(self, budget: int) -> list[str]:
        # short reports have few sections, as real ones do
        kinds = ["举措成效"] * self.rng.randint(1, max(1, min(5, budget // 4000)))
        if self.rng.random() < (0.5 if budget > 8000 else 0.1):
            kinds.append("第一责任人")
        return kinds + ["问题不足", "下年安排"]

    def body(self, budget: int) -> list[str]:
        """Level-1 sections filling about ``budget`` bytes."""
        plan = self.section_plan(budget)
        weights = [3 if k == "举措成效" else 1 for k in plan]
        shares = [budget * w // sum(weights) for w in weights]
        used: set[int] = set()
        lines = []
        for i, (kind, share) in enumerate(zip(plan, shares), start=1):
            pool = [s for s in self.parts.by_kind(kind) if id(s) not in used] or self.parts.by_kind(kind)
            section = self.rng.choice(pool)
            used.add(id(section))
            lines.append(self.l1.format(n=cn_ordinal(i), i=i) + self.fill(section.heading))
            lines += self.section_body(kind, section, share)
        return lines

    def section_body(self, kind: str, section, share: int) -> list[str]:
        blocks = [b for s in self.parts.by_kind(kind) for b in s.blocks]
        if section.paragraphs or not blocks:
            # a section's own paragraphs keep their order (一是, 二是, …)
            paras = list(section.paragraphs) or [p for s in self.parts.by_kind(kind) for p in s.paragraphs]
            return trim(paras, share)
        chosen = trim(self.rng.sample(blocks, len(blocks)), share)
        return [self.l2.format(n=cn_ordinal(i)) + b for i, b in enumerate(chosen, start=1)]

    def write(self, target: int) -> str:
        rng, a, year = self.rng, self.agency, self.year
        pub = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
        doc = f"{year + 1}-{rng.randint(1, 2):02d}-{rng.randint(1, 28):02d}"
        head = list(rng.choice(CLUTTER_HEAD)) if rng.random() < 0.3 else []
        title = rng.choice(TITLES).format(agency=a.name, year=year)
        meta = rng.choice(META_LINES).format(pub=pub, doc=doc, agency=a.name, code=f"K{rng.randint(100, 999)}",
                                             pubyear=year + 1, serial=rng.randint(10000, 99999))
        head += [title, meta] if rng.random() < 0.6 else [title]
        head.append(self.fill(rng.choice(rng.choice(self.parts.preambles))))
        y, m, d = (int(x) for x in doc.split("-"))
        tail = [a.name, f"{y}年{m}月{d}日"]
        if rng.random() < 0.3:
            tail += list(rng.choice(CLUTTER_TAIL))
        fixed = size("\n\n".join(head + tail))
        lines = [self.fill(line) for line in self.body(max(target - fixed, 600))]
        return "\n\n".join(head + lines + tail) + "\n"


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def trim(paragraphs: list[str], budget: int) -> list[str]:
    """Whole paragraphs while they fit, then the next one cut at a sentence end; at least one sentence."""
    out, used = [], 0
    for p in paragraphs:
        if used + size(p) <= budget:
            out.append(p)
            used += size(p) + 2
            continue
        cut = ""
        for sentence in p.split("。"):
            if not sentence or used + size(cut + sentence + "。") > budget:
                break
            cut += sentence + "。"
        if cut or not out:
            out.append(cut or p.split("。")[0] + "。")
        break
    return out


def fit(writer_factory, rng: random.Random) -> str:
    """A report whose size lands in [MIN_BYTES, MAX_BYTES] (retries with a smaller/larger target)."""
    target = int(math.exp(rng.uniform(math.log(MIN_BYTES + 200), math.log(MAX_BYTES - 200))))
    for _ in range(20):
        text = writer_factory().write(target)
        n = size(text)
        if MIN_BYTES <= n <= MAX_BYTES:
            return text
        target = target + (MIN_BYTES - n) + 400 if n < MIN_BYTES else target - (n - MAX_BYTES) - 400
    raise RuntimeError(f"could not fit a report into {MIN_BYTES}-{MAX_BYTES} bytes")


def generate_one(parts: SeedParts, by_level: dict[str, list[Agency]], seed: int, i: int) -> tuple[str, dict]:
    rng = random.Random(f"{seed}:{i}")
    level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    agency = rng.choice(by_level[level])
    year = rng.choice(YEARS)
    text = fit(lambda: ReportWriter(parts, agency, year, rng), rng)
    meta = {k: v for k, v in asdict(agency).items() if k not in ("province_full", "city_full", "name")}
    return text, {"file": f"synthetic-{i:05d}.txt", "agency": agency.name, **meta, "year": year}


def default_dir(out: Path, n: int) -> Path:
    return out / f"corpus-{n}"


def manifest_path(corpus_dir: Path) -> Path:
    return corpus_dir.with_name(corpus_dir.name + ".jsonl")


def generate(n: int, corpus_dir: Path, seed: int = 1, seeds_dir: Path = CORPUS) -> list[dict]:
    """Write n synthetic reports into corpus_dir (other synthetic-*.txt removed); return the manifest."""
    corpus_dir = corpus_dir.resolve()
    if corpus_dir == CORPUS or CORPUS in corpus_dir.parents:
        raise ValueError(f"refusing to write synthetic reports into {CORPUS}")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    pca = load_pca()
    parts, by_level = load_seed_parts(seeds_dir, pca), agencies(pca)
    manifest = []
    for i in range(n):
        text, meta = generate_one(parts, by_level, seed, i)
        write_if_changed(corpus_dir / meta["file"], text.encode("utf-8"))
        manifest.append(meta)
    wanted = {m["file"] for m in manifest}
    for old in corpus_dir.glob("synthetic-*.txt"):
        if old.name not in wanted:
            old.unlink()
    with open(manifest_path(corpus_dir), "w", encoding="utf-8") as f:
        for meta in manifest:
            f.write(json.dumps(meta, ensure_ascii=False) + "\n")
    return manifest


def write_if_changed(path: Path, data: bytes) -> None:
    """Leave an identical file alone (its mtime too): a re-run does not disturb builds reading the corpus."""
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    path.write_bytes(data)


def load_manifest(corpus_dir: Path) -> list[dict]:
    with open(manifest_path(corpus_dir), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args(argv)
    target = default_dir(args.out, args.reports)
    generate(args.reports, target, args.seed)
    print(f"{args.reports} synthetic reports in {target}")


if __name__ == "__main__":
    main()
