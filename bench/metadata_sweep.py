"""Benchmark: the metadata context clues over every prefecture and county of the divisions dataset.

    python -m bench.metadata_sweep [--sample N] [--results bench/METADATA.md | -]

For each prefecture-level division and each county-level one (``indexer/data/pca-code.json``), a synthetic
report names its agency only as 市公安局 (a prefecture or a county-level city; 州公安局 / 地区公安局 /
盟公安局 for the other prefectures), 县公安局 (a county or banner) or 区公安分局 (a district), plus exactly one clue of one kind: a 我局 statement naming the bureau in full, a
cited title, a slogan (平安X), the bureau's own area (我局辖区X), a document number whose prefix is the
division's first character with its addressee line (the parent's government), or the page's address
(gaj.<pinyin>.gov.cn, one label). A report is right when province, city, county and level all are; wrong when it gets another place (else
the place is left open). Prints the
rate per clue kind and rank (and writes it to ``--results``), then the prefecture hosts whose pinyin is
shared by another prefecture (left open unless the text names the province).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from indexer.parse import address, clues, parse_text, places

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("body", "cited_title", "slogan", "own_area", "doc_number", "url")
RANKS = ("prefecture", "county-level city", "county", "district")


def targets() -> list[places.Division]:
    """Every prefecture and county-level division of the dataset (municipalities' districts included)."""
    gaz = places.gazetteer()
    return [d for d in gaz.by_code.values()
            if d.rank in (2, 3) and not d.code.startswith("former") and d.name[-1] in "市州盟区县旗"
            and not d.name.endswith("特区") and not (d.name.endswith("林区") and d.city is None)]  # 神农架林区: no 区


def rank_of(d: places.Division) -> str:
    if d.rank == 2:
        return "prefecture"
    return {"市": "county-level city", "区": "district"}.get(d.name[-1], "county")


def bare_agency(d: places.Division) -> str:
    if d.rank == 2 and not d.name.endswith("市"):  # 州公安局, 地区公安局, 盟公安局
        return next(h for h in ("地区", "州", "盟") if d.name.endswith(h)) + "公安局"
    return {"prefecture": "市公安局", "county-level city": "市公安局", "county": "县公安局",
            "district": "区公安分局"}[rank_of(d)]


def expected(d: places.Division) -> tuple:
    level = {"prefecture": "city", "district": "district"}.get(rank_of(d), "county")
    return d.province, places.city_label(d), d.county, level


def short(d: places.Division) -> str:
    if d.rank == 2:
        return places.prefecture_label(d.name)
    stems = places.county_stems(d.name)
    return stems[0] if stems else d.name


def report_text(d: places.Division, kind: str) -> tuple[str, dict]:
    """(text, hints) of the synthetic report for division ``d`` with one clue of ``kind``."""
    gaz = places.gazetteer()
    agency = bare_agency(d)
    full = clues.with_place(agency, d)
    clue, head, meta = "", "", {}
    if kind == "body":
        clue = f"全年，{full}（以下简称我局）共办理行政复议案件12件。"
    elif kind == "cited_title":
        clue = f"制定《{full}关于进一步规范执法行为的实施意见》。"
    elif kind == "slogan":
        clue = f"我局以建设更高水平的“平安{short(d)}”为目标。"
    elif kind == "own_area":
        clue = f"我局辖区{d.name}常住人口稳定，我局在{d.name}各乡镇设立执法监督员。"
    elif kind == "doc_number":
        parent = gaz.by_code[d.parent]
        head = f"{d.name[0]}公〔2024〕3号\n{parent.name}人民政府：\n"
    elif kind == "url":
        meta = {"source_url": f"http://gaj.{address.host_label(d)}.gov.cn/art/2024/2/1/art_1.html"}
    text = (f"{head}{agency}2023年法治政府建设年度报告\n2023年，我局坚持以习近平法治思想为指导，推进法治公安建设。\n"
            f"一、主要举措和成效\n（一）深化执法规范化建设。{clue}\n二、存在问题\n三、2024年工作计划\n")
    return text, meta


def outcome(d: places.Division, kind: str) -> str:
    """"right", "open" (no province: the clue left it open), "flagged" (another place, its evidence marked
    uncertain: a namesake the text does not place) or "wrong" (another place, unflagged)."""
    text, meta = report_text(d, kind)
    r = parse_text(text, meta=meta)
    got = (r.province, r.city, r.county, r.level)
    if got == expected(d):
        return "right"
    if r.province is None:
        return "open"
    return "flagged" if any(ev.get("uncertain") for ev in r.evidence.values()) else "wrong"


def sweep(divisions: list[places.Division]) -> dict:
    """{(rank, kind): (right, total, wrong, flagged)} over ``divisions`` and every clue kind."""
    counts: Counter = Counter()
    for d in divisions:
        for kind in KINDS:
            key = (rank_of(d), kind)
            counts[key + ("total",)] += 1
            counts[key + (outcome(d, kind),)] += 1
    keys = {k[:2] for k in counts}
    return {key: tuple(counts[key + (name,)] for name in ("right", "total", "wrong", "flagged")) for key in keys}


def shared_prefecture_hosts() -> dict[str, list[str]]:
    """gaj.<pinyin>.gov.cn hosts that more than one prefecture sounds like: host → the prefectures."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for d in targets():
        if d.rank == 2:
            by_host[f"gaj.{address.host_label(d)}.gov.cn"].append(f"{d.name}（{d.province}）")
    return {h: names for h, names in sorted(by_host.items()) if len(names) > 1}


def _cell(right: int, total: int, wrong: int, flagged: int) -> str:
    return f"{right / total:.1%} ({right}/{total}; {wrong} wrong, {flagged} flagged)" if total else "–"


def table(results: dict) -> str:
    lines = ["| clue kind | " + " | ".join(RANKS) + " | all |", "|---|" + "---|" * (len(RANKS) + 1)]
    for kind in KINDS:
        cells = []
        total = [0, 0, 0, 0]
        for rank in RANKS:
            row = results.get((rank, kind), (0, 0, 0, 0))
            total = [a + b for a, b in zip(total, row)]
            cells.append(_cell(*row))
        cells.append(_cell(*total))
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.metadata_sweep", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=0, help="every n-th division only (default: all)")
    ap.add_argument("--results", default=str(ROOT / "bench" / "METADATA.md"),
                    help="where to write the table (default bench/METADATA.md); '-' for nowhere")
    args = ap.parse_args(argv)
    divisions = targets()
    if args.sample:
        divisions = divisions[:: max(1, len(divisions) // args.sample)][: args.sample]
    started = time.monotonic()
    results = sweep(divisions)
    seconds = time.monotonic() - started
    shared = shared_prefecture_hosts()
    counts = Counter(rank_of(d) for d in divisions)
    out = [
        "# Metadata clues: sweep over the divisions dataset", "",
        "Command: `python -m bench.metadata_sweep" + (f" --sample {args.sample}" if args.sample else "") + "`  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {len(divisions)} divisions "
        f"({', '.join(f'{counts[r]} {r}' for r in RANKS)}), {len(divisions) * len(KINDS)} reports, {seconds:.0f} s.",
        "",
        "Each synthetic report names its agency only as 市公安局 / 县公安局 / 区公安分局 and carries one clue; right "
        "= province, city, county and level all right; wrong = another place given, unflagged; flagged = another "
        "place given with its evidence marked uncertain (a district with namesakes the text does not place); the "
        "rest are left open (document-number prefixes or hosts shared by siblings, same-named slogans).", "",
        table(results), "",
        f"Prefecture hosts `gaj.<pinyin>.gov.cn` shared by more than one prefecture ({len(shared)}; left open "
        "unless the text names the province):", "",
        *[f"- {host}: {' / '.join(names)}" for host, names in shared.items()], "",
    ]
    text = "\n".join(out)
    print(text)
    if args.results != "-":
        Path(args.results).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
