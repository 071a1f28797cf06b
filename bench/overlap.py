"""Benchmark: verbatim-copy detection (``search.overlap``) — one report against the whole index, and the
collection's pairs — on the synthetic corpus, plus what the fingerprint files cost on disk.

    python -m bench.overlap --reports 10000 [--sample 30] [--seed 1] [--out bench/out] [--index DIR]
                            [--results bench/OVERLAP.md | -]

Generates the corpus (``bench.corpus``) and builds it with 2 workers unless ``--index`` names a built one
(the build is reused when its directory exists). Times ``overlap`` for ``--sample`` reports spread over the
index (a fresh engine; the first call, which reads the hash arrays, is timed separately) and ``pairs`` for the
whole collection and for one province, and prints them as a Markdown table (also written to ``--results``). The synthetic corpus recombines
five seed reports, so every report shares most of its text with hundreds of others: the worst case for both.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import report
from bench.corpus import default_dir, generate
from bench.measure import disk_size
from bench.ours import build_command
from bench.seeds import ROOT


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="python -m bench.overlap", description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000, help="number of synthetic reports (default 1000)")
    ap.add_argument("--sample", type=int, default=30, help="reports timed one against all (default 30)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the corpus (default 1)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="work directory (default bench/out)")
    ap.add_argument("--index", type=Path, help="an index of the corpus already built (default: build one)")
    ap.add_argument("--results", default=str(ROOT / "bench" / "OVERLAP.md"),
                    help="where to write the table (default bench/OVERLAP.md); '-' for nowhere")
    return ap.parse_args(argv)


def ensure_index(args) -> tuple[Path, Path]:
    corpus = default_dir(args.out, args.reports)
    generate(args.reports, corpus, args.seed)
    index = args.index or args.out / f"overlap-{args.reports}"
    if not (index / "CURRENT").exists():
        subprocess.run(build_command(corpus, index, 2, rebuild=True), check=False)
    return corpus, index


def sizes(corpus: Path, index: Path) -> list[str]:
    from search.schema import resolve_index_dir

    gen = resolve_index_dir(index)
    prints = sum(p.stat().st_size for p in gen.glob("*.prints"))
    text = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    return [f"| fingerprint files (MB) | {prints / 2**20:.1f} |",
            f"| corpus (MB) / whole index (MB) | {text / 2**20:.1f} / {disk_size(gen) / 2**20:.1f} |",
            f"| fingerprint bytes per corpus byte | {prints / text:.3f} |"]


def main(argv=None) -> int:
    args = parse_args(argv)
    corpus, index = ensure_index(args)
    from search.engine import Engine, SearchRequest
    from search.overlap import overlap, pairs

    engine = Engine(index)
    with engine.reading() as st:
        files = [r["file"] for r in st.columns.reports]
    sample = files[:: max(1, len(files) // args.sample)][: args.sample]
    started = time.perf_counter()
    overlap(engine, sample[0])
    first = time.perf_counter() - started
    times, sources, candidates = [], [], []
    for name in sample:
        started = time.perf_counter()
        result = overlap(engine, name)
        times.append(time.perf_counter() - started)
        sources.append(len(result.sources))
        candidates.append(result.candidates)
    times.sort()
    lines = [f"Copy detection on {len(files)} synthetic reports ({corpus.name}), {len(sample)} reports timed; "
             f"{report.now()}; {report.machine()}; load average {os.getloadavg()[0]:.1f}", "",
             "| measure | value |", "|---|---|",
             f"| one report against all, first call (reads the hash arrays) (s) | {first:.3f} |",
             f"| one report against all, p50 / p95 / max (s) | {statistics.median(times):.3f} / "
             f"{times[int(0.95 * (len(times) - 1))]:.3f} / {times[-1]:.3f} |",
             f"| other reports holding a fingerprint, median | {int(statistics.median(candidates))} |",
             f"| sources compared and listed, median | {int(statistics.median(sources))} |"]
    for label, request in (("the whole collection", SearchRequest()), ("one province (广东)", SearchRequest(province=["广东"]))):
        started = time.perf_counter()
        result = pairs(engine, request)
        lines.append(f"| collection pairs, {label}: {result.reports} reports (s) | {time.perf_counter() - started:.3f} |")
    engine.close()
    lines += sizes(corpus, index)
    print("\n".join(lines))
    if args.results != "-":
        Path(args.results).write_text("# Copy detection benchmark\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
