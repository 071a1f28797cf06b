"""Benchmark stages: builds (as subprocesses, timed with their peak memory), query timing and accuracy.

Each stage returns plain dicts that ``bench.report`` turns into the table; a system that is missing or fails
becomes an entry with an ``error`` so the rest of the run still reports.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.grep import recall_precision
from bench.measure import disk_size, percentile, run_measured
from bench.ours import build_command, cluster_command
from bench.queries import Query

PY = sys.executable


def _json_tail(stdout: str) -> dict:
    """The last JSON object a command printed (a summary), or {}."""
    start = stdout.find("{")
    try:
        return json.loads(stdout[start:]) if start >= 0 else {}
    except json.JSONDecodeError:
        return {}


def measured(cmd: list[str], ok_codes=(0,), needs_summary: bool = True, timeout: float | None = None) -> dict:
    run = run_measured(cmd, timeout=timeout)
    entry = {"seconds": run.seconds, "peak_mb": run.peak_bytes / 2**20, "summary": _json_tail(run.stdout)}
    if run.returncode not in ok_codes or (needs_summary and not entry["summary"]):
        entry["error"] = f"exit {run.returncode}: {last_line(run.stderr or run.stdout)}"
    return entry


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


CODE = ("search", "indexer", "webui")


def snapshot_code(work: Path, root: Path) -> str:
    """Copy our packages into the work directory and run every stage on that copy (subprocesses through
    PYTHONPATH, this process through sys.path), so commits landing during a long run cannot mix code
    versions (an index built by one version and read by another). Returns the code's git description."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    for package in CODE:
        shutil.copytree(root / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = os.pathsep.join([str(code), str(root)])
    sys.path.insert(0, str(code))
    return describe_code(root)


def describe_code(root: Path) -> str:
    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return run.stdout.strip() if run.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = [line for line in git("status", "--porcelain", "--", *CODE).splitlines() if line.strip()]
    return f"git {head}" + (f" + {len(dirty)} uncommitted file(s) in {', '.join(CODE)}" if dirty else "")


def skipped(option: str) -> dict:
    """A stage left out on purpose: shown as n/a, not as an error."""
    return {"skipped": option}


def builds(corpus: Path, work: Path, skip_naive: bool = False, skip_w1: bool = False,
           cluster: str | None = None, skip_jieba: bool = False) -> dict:
    """jieba alone, our build with 1 and 2 workers (and on a Dask cluster), the no-op rebuild, the naive build,
    FTS5; sizes. ``skip_*`` leave out the slowest builds at 100k reports."""
    for old in ("ours-w1", "ours-w2", "ours-cluster", "naive", "fts5.db"):
        target = work / old
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    out = {"jieba": skipped("--skip-jieba")}
    if not skip_jieba:
        out["jieba"] = measured([PY, "-m", "bench.jieba_alone", str(corpus)])
        out["jieba"]["segment_seconds"] = out["jieba"]["summary"].get("segment_seconds")
    # exit 1 = done, some files failed: still an index (the failures are reported with the build)
    out["ours_w1"] = skipped("--skip-1worker") if skip_w1 else measured(
        build_command(corpus, work / "ours-w1", 1, rebuild=True) + ["--json"], (0, 1))
    out["ours_w2"] = measured(build_command(corpus, work / "ours-w2", 2, rebuild=True) + ["--json"], (0, 1))
    out["noop"] = measured(build_command(corpus, work / "ours-w2", 2, rebuild=False) + ["--json"], (0, 1))
    out["ours_cluster"] = skipped("no --cluster")
    if cluster:
        out["ours_cluster"] = measured(cluster_command(corpus, work / "ours-cluster", cluster) + ["--json"], (0, 1))
        out["ours_cluster"]["address"] = cluster
    out["naive"] = skipped("--skip-naive") if skip_naive else measured(
        [PY, "-m", "bench.naive", str(corpus), str(work / "naive")])
    out["fts5"] = measured([PY, "-m", "bench.fts5", str(corpus), str(work / "fts5.db")])
    for key, path in (("ours_w1", "ours-w1"), ("ours_w2", "ours-w2"), ("ours_cluster", "ours-cluster"),
                      ("naive", "naive"), ("fts5", "fts5.db")):
        if (work / path).exists():
            out[key]["size_mb"] = disk_size(work / path) / 2**20
    return out


def open_systems(work: Path, skip: dict[str, dict] | None = None) -> dict:
    """The three searchers over the built indexes (an entry {"error"} for one that cannot open, the ``skip``
    entry for one left out). Each gets its ``open_seconds``."""
    from bench.fts5 import Fts5Search
    from bench.naive import NaiveSearch
    from bench.ours import OursSearch

    systems = {}
    for name, factory in (("ours", lambda: OursSearch(work / "ours-w2")), ("naive", lambda: NaiveSearch(work / "naive")),
                          ("fts5", lambda: Fts5Search(work / "fts5.db"))):
        if skip and name in skip:
            systems[name] = skip[name]
            continue
        try:
            started = time.perf_counter()
            systems[name] = factory()
            systems[name].open_seconds = time.perf_counter() - started
        except Exception as e:  # a peer that is not there must not stop the others' numbers
            systems[name] = {"error": f"{type(e).__name__}: {e}"}
    return systems


def accuracy(system, queries: list[Query], truth: list[set[str]]) -> dict:
    found = [system.all_files(q) for q in queries]
    recall, precision = recall_precision(truth, found)
    by_kind = {}
    for kind in dict.fromkeys(q.kind for q in queries):
        idx = [i for i, q in enumerate(queries) if q.kind == kind]
        by_kind[kind] = recall_precision([truth[i] for i in idx], [found[i] for i in idx])
    misses = [(q.q, sorted(t - f)[:3], sorted(f - t)[:3]) for q, t, f in zip(queries, truth, found) if t != f]
    return {"recall": recall, "precision": precision, "by_kind": by_kind, "wrong": misses[:10]}


def query_stage(work: Path, queries: list[Query], truth: list[set[str]], skip: dict | None = None) -> dict:
    """Accuracy of each system (also the warm-up), then page times, interleaved query by query so the
    machine's noise falls on every system alike."""
    systems = open_systems(work, skip)
    out: dict[str, dict] = {}
    live = {}
    for name, system in systems.items():
        if isinstance(system, dict):
            out[name] = system
            continue
        try:
            out[name] = accuracy(system, queries, truth)
            out[name]["open_seconds"] = system.open_seconds
            live[name] = system
        except Exception as e:
            out[name] = {"error": f"{type(e).__name__}: {e}"}
    for system in live.values():
        if hasattr(system, "reopen"):  # our engine caches term answers: time pages as a first visit
            system.reopen()
    times: dict[str, list[float]] = {name: [] for name in live}
    for query in queries:
        for name, system in live.items():
            start = time.perf_counter()
            system.page(query)
            times[name].append(time.perf_counter() - start)
    for name, values in times.items():
        out[name].update({f"p{p}": percentile(values, p) for p in (50, 95, 99)})
        out[name]["mean"] = sum(values) / len(values)
    if "ours" in live:  # the same pages again: answered from the result cache of the open generation
        cached = []
        for query in queries:
            start = time.perf_counter()
            live["ours"].page(query)
            cached.append(time.perf_counter() - start)
        out["ours"].update({"cached_p50": percentile(cached, 50), "cached_p95": percentile(cached, 95)})
    out["_systems"] = live
    return out


OPEN_SCRIPT = ("import sys, time; t = time.perf_counter(); from search.state import IndexState; "
               "s = time.perf_counter(); IndexState(sys.argv[1]); print(time.perf_counter() - s)")
CLI_QUERY = "执法记录仪"


def open_stage(index_dir: Path, runs: int = 3) -> dict:
    """Opening the index from a fresh process (``IndexState``, imports excluded) and a whole
    ``reports-search QUERY --limit 10`` run (wall time: interpreter, imports, jieba, opening, the page);
    medians of ``runs``."""
    cli = [str(Path(PY).with_name("reports-search")), CLI_QUERY, "--limit", "10", "--index-dir", str(index_dir)]
    opens, walls = [], []
    try:
        for _ in range(runs):
            done = subprocess.run([PY, "-c", OPEN_SCRIPT, str(index_dir)], capture_output=True, text=True, check=True)
            opens.append(float(done.stdout.strip().splitlines()[-1]))
            start = time.perf_counter()
            subprocess.run(cli, capture_output=True, check=True)
            walls.append(time.perf_counter() - start)
    except (subprocess.CalledProcessError, ValueError, IndexError) as e:
        return {"error": f"{type(e).__name__}: {last_line(str(e))}"}
    return {"open_s": percentile(opens, 50), "cli_s": percentile(walls, 50)}


def profile_pages(system, queries: list[Query], top: int = 25) -> str:
    """cProfile of one pass of result pages: the functions with the most own time, then cumulative."""
    profiler = cProfile.Profile()
    profiler.enable()
    for query in queries:
        system.page(query)
    profiler.disable()
    return _top(profiler, top)


def profile_build(corpus: Path, work: Path, n: int = 100, top: int = 25) -> str:
    """cProfile of our build with 1 worker (in this process) over the corpus's first n files."""
    from indexer.build import build

    sample, index_dir = work / "profile-corpus", work / "profile-index"
    for path in (sample, index_dir):
        shutil.rmtree(path, ignore_errors=True)
    sample.mkdir(parents=True)
    for path in sorted(corpus.glob("*.txt"))[:n]:
        shutil.copy2(path, sample / path.name)
    profiler = cProfile.Profile()
    profiler.enable()
    build(sample, index_dir, rebuild=True, workers=1)
    profiler.disable()
    return _top(profiler, top)


def _top(profiler: cProfile.Profile, top: int) -> str:
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return text.getvalue()
