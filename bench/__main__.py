"""Benchmark command: ``python -m bench --reports 10000`` — every system on one corpus and one query set.

Stages: generate the synthetic corpus; build (jieba alone, ours with 1 and 2 workers, the no-op rebuild, the
naive build, FTS5); grep the corpus for the truth; recall/precision and result-page times of each system; the
web server under load. Prints the table and the ratios against the issue's targets, and writes RESULTS.md.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from bench import report
from bench.corpus import default_dir, generate
from bench.grep import grep_truth
from bench.measure import disk_size
from bench.queries import make_queries
from bench.run import builds, last_line, open_stage, profile_build, profile_pages, query_stage, snapshot_code
from bench.seeds import ROOT


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000, help="number of synthetic reports (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the corpus and the queries (default 1)")
    ap.add_argument("--queries", type=int, default=200, help="number of queries (default 200)")
    ap.add_argument("--skip-web", action="store_true", help="leave out the web server load test")
    ap.add_argument("--web-seconds", type=float, default=30.0, help="duration of the web load (default 30)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent web clients (default 8)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="work directory (default bench/out)")
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md",
                    help="where to write the results (default bench/RESULTS.md); '-' for nowhere")
    ap.add_argument("--skip-naive", action="store_true", help="leave out the naive build (hours at 100k reports)")
    ap.add_argument("--skip-1worker", action="store_true", help="leave out our 1-worker build")
    ap.add_argument("--skip-jieba", action="store_true",
                    help="leave out running jieba alone over the text (the 1-worker build's yardstick)")
    ap.add_argument("--cluster", metavar="ADDRESS", help="also build with --cluster ADDRESS (tcp://… or local:N)")
    ap.add_argument("--web-workers", default="1", metavar="N,M",
                    help="reports-web --workers values to load in turn (default 1), e.g. 1,2")
    ap.add_argument("--profile", action="store_true", help="cProfile our result pages and a 1-worker build of 100 reports")
    return ap.parse_args(argv)


def stage(name: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {name}", file=sys.stderr, flush=True)


def web_stage(work: Path, queries, args, workers: int = 1, single: bool = False) -> dict:
    """``args.clients`` clients on a fresh server, then one client alone on another (its requests/s and p95, the
    yardstick of the many); ``single``: also one client's first and repeated ``/search.json``."""
    from bench.web import json_pages, load

    try:
        result = load(work / "ours-w2", queries, args.clients, args.web_seconds, workers)
        out = {"rps": result.rps, "p95": result.p95, "requests": result.requests, "errors": result.errors,
               "error_kinds": result.error_kinds,
               "peak_mb": result.peak_rss / 2**20, "idle_mb": result.idle_rss / 2**20}
        alone = load(work / "ours-w2", queries, 1, args.web_seconds, workers)
        out.update({"rps_1": alone.rps, "p95_1": alone.p95, "errors_1": alone.errors})
        if single:
            out.update(json_pages(work / "ours-w2", queries, workers=workers))
    except Exception as e:
        return {"error": f"{type(e).__name__}: {last_line(str(e))}"}
    return out


def web_workers(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n.strip()]


def measure(args) -> dict:
    """Run every stage; returns what the table is made of."""
    started = time.perf_counter()
    corpus = default_dir(args.out, args.reports)
    work = args.out / f"run-{args.reports}"
    m = {"code": snapshot_code(work, ROOT)}
    stage(f"generating {args.reports} reports into {corpus}; code {m['code']}", started)
    manifest = generate(args.reports, corpus, args.seed)
    m["corpus_mb"] = disk_size(corpus) / 2**20
    m["queries"] = queries = make_queries(args.queries, args.seed)
    stage("builds: jieba alone, ours ×1, ours ×2, no-op, cluster, naive, FTS5", started)
    m["builds"] = builds(corpus, work, args.skip_naive, args.skip_1worker, args.cluster, args.skip_jieba)
    m["builds"]["corpus_mb"] = m["corpus_mb"]
    stage("grep truth", started)
    m["truth"] = grep_truth(corpus, manifest, queries)
    stage("opening the index and reports-search from a fresh process", started)
    m["builds"]["open"] = open_stage(work / "ours-w2")
    stage("queries: accuracy, then timed result pages", started)
    skip = {"naive": m["builds"]["naive"]} if args.skip_naive else None
    m["queries_stage"] = q = query_stage(work, queries, m["truth"], skip)
    m["profile"] = {}
    if args.profile and "ours" in q["_systems"]:
        stage("profiling our result pages and a 1-worker build of 100 reports", started)
        m["profile"]["result pages (all queries, one pass)"] = profile_pages(q["_systems"]["ours"], queries)
        m["profile"]["build, 1 worker, first 100 reports"] = profile_build(corpus, work)
    for system in q.pop("_systems").values():
        system.close()
    m["web"], m["web_by_workers"], m["every_core"] = None, {}, None
    if not args.skip_web:
        for k, n in enumerate(web_workers(args.web_workers)):
            also = ", then 1 client" + (", then /search.json one by one" if k == 0 else "")
            stage(f"web: reports-web --workers {n}, {args.clients} clients for {args.web_seconds:g} s{also}", started)
            m["web_by_workers"][n] = web_stage(work, queries, args, n, single=k == 0)
        m["web"] = next(iter(m["web_by_workers"].values()), None)
        m["every_core"] = max(m["web_by_workers"].items(), default=None)  # the most processes
    stage("done", started)
    return m


def main(argv=None) -> int:
    args = parse_args(argv)
    m = measure(args)
    b, q, web = m["builds"], m["queries_stage"], m["web"]
    command = "python -m bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    head = (f"Code: {m['code']}. {args.reports} synthetic reports ({m['corpus_mb']:.1f} MB, seed {args.seed}), "
            f"{len(m['queries'])} queries, {sum(map(len, m['truth']))} relevant (report, query) pairs by grep")
    lines = report.table(b, q, web, m["corpus_mb"]) + [""] + report.ratio_table(report.ratios(b, q, web, m["every_core"]))
    left_out = [f"{name} ({entry['skipped']})" for name, entry in b.items() if isinstance(entry, dict) and "skipped" in entry]
    if left_out:
        lines += ["", "Left out of this run: " + ", ".join(left_out) + "."]
    if len(m["web_by_workers"]) > 1:
        lines += ["", f"Web by server processes ({args.clients} clients, {args.web_seconds:g} s each):", "",
                  *report.web_table(m["web_by_workers"])]
    print(head)
    print("\n".join(lines))
    problems = report.errors(b, q, web)
    if problems:
        print("\n".join(["", "errors:", *problems]))
    for name, text in m["profile"].items():
        print(f"\ncProfile of ours: {name}\n{text}")
    if str(args.results) != "-":
        write_results(args.results, command, head, lines, report.kind_table(q), problems, q, m["profile"])
    return 0


def write_results(path: Path, command: str, head: str, lines, kinds, problems, q, profile: dict) -> None:
    wrong = [f"- {name}: `{query}` missed {missed} extra {extra}" for name in ("ours", "naive", "fts5")
             for query, missed, extra in (q[name].get("wrong", []) if isinstance(q[name], dict) else [])[:5]]
    text = [
        "# Benchmark results", "",
        f"Command: `{command}`  ", f"Date: {report.now()}  ", f"Machine: {report.machine()}", "",
        head + ".", "", *lines, "",
        "Recall / precision by query kind:", "", *kinds, "",
        *(["Errors:", "", *problems, ""] if problems else []),
        *(["Examples of wrong result sets (first 3 files missed / returned wrongly):", "", *wrong, ""] if wrong else []),
        "## How it is measured", "", METHOD, "",
    ]
    for name, stats in profile.items():
        text += [f"## cProfile of ours: {name}", "", "```", *_trim_profile(stats), "```", ""]
    path.write_text("\n".join(text).rstrip() + "\n", encoding="utf-8")


def _trim_profile(stats: str, rows: int = 18) -> list[str]:
    """The header and the first rows of each pstats listing (own time, then cumulative)."""
    out, kept = [], None
    for line in stats.splitlines():
        if "ncalls" in line:
            kept = 0
            out.append(line)
        elif kept is not None and line.strip() and kept < rows:
            out.append(line)
            kept += 1
        elif "function calls" in line or line.startswith("   Ordered by"):
            out.append(line.strip())
    return out


METHOD = """\
- Corpus: `bench/corpus.py` recombines the seed reports' paragraphs and sections under real agencies
  (pca-code.json), years 2019–2024, sizes 3–30 KB (log-uniform); files `synthetic-NNNNN.txt` in `bench/out/`.
- Queries: `bench/queries.py`, 2–8 characters: frequent and rare jieba words, sub-words across word
  boundaries, place names, 2–3-term queries, and terms with province/year filters.
- Truth: grep of the files normalized with NFKC + casefold; facets from the generator's manifest. Recall and
  precision are micro-averaged over all queries (Σ correct / Σ relevant, Σ correct / Σ returned).
- Builds run as subprocesses; time is wall-clock, memory the peak summed RSS of the process tree (sampled
  every 0.1 s). jieba alone = `jieba.lcut(text, HMM=True)` over every file, dictionary loading excluded.
  Our builds: `reports-index build CORPUS --index-dir DIR --workers N --rebuild`; the no-op is the same
  command without `--rebuild` right after.
- A result page: ours = `Engine.search` (facet counts + snippets of the top 10 reports) + `to_dict()`;
  naive = Whoosh `QueryParser` search, top 10 with `hit.highlights()`; FTS5 = `MATCH` for terms of 3+
  characters, ranked by bm25, top 10 with `snippet()`. FTS5's trigram index cannot serve terms under 3
  characters: they become `LIKE '%term%'` (a scan of every row), and a query of only such terms has no
  ranking and no `snippet()` (we cut the snippet around the first occurrence in Python). Pages are timed
  interleaved (each query on each system in turn) after an untimed pass that collects the full result sets;
  our engine is reopened between the two, so its term cache starts empty (each query is timed as a first
  visit; only terms repeated across queries are cached, as they would be on a server).
- Web: `reports-web` on 127.0.0.1, 8 client threads with keep-alive `http.client` connections requesting
  `/search?q=…` pages for 30 s, then one client alone for 30 s on a fresh server of the same kind (its yardstick);
  the load generator runs on the same machine. The ratios "web, --workers N" are those of the server with the most
  processes given (`--web-workers`): the one that uses every core; "web:" ratios are one process's.
- The machine is shared (2 cores, several engineers): compare the ratios, not absolute times."""


if __name__ == "__main__":
    sys.exit(main())
