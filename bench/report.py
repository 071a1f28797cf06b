"""Benchmark output: the measurements as one Markdown table, the ratios checked against the issue's targets,
and bench/RESULTS.md (command, date, machine, tables, notes)."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from datetime import datetime, timezone

NA = "n/a"


def fmt(value, spec: str = ".2f", scale: float = 1.0) -> str:
    return NA if value is None else format(value * scale, spec)


def get(d: dict, *keys):
    for key in keys:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def ok(entry) -> bool:
    """A stage that ran (not failed, not ``skipped`` by an option)."""
    return isinstance(entry, dict) and "error" not in entry and "skipped" not in entry


def value(entry: dict, key: str):
    return entry.get(key) if ok(entry) else None


def table(b: dict, q: dict, web, corpus_mb: float) -> list[str]:
    """The main table: one row per measure, one column per system."""
    ms = lambda entry, key: fmt(value(entry, key), ".1f", 1000)  # noqa: E731
    rows = [
        ("build: full, 1 worker (s)", fmt(value(b["ours_w1"], "seconds")), fmt(value(b["naive"], "seconds")),
         fmt(value(b["fts5"], "seconds")), fmt(value(b["jieba"], "segment_seconds"))),
        ("build: full, 2 workers (s)", fmt(value(b["ours_w2"], "seconds")), "–", "–", "–"),
        *([(f"build: full, --cluster {b['ours_cluster']['address']} (s)", fmt(value(b["ours_cluster"], "seconds")),
            "–", "–", "–")] if "address" in b.get("ours_cluster", {}) else []),
        ("build: throughput, 1 worker (MB/s)", *(fmt(corpus_mb / v) if v else NA for v in (
            value(b["ours_w1"], "seconds"), value(b["naive"], "seconds"), value(b["fts5"], "seconds"),
            value(b["jieba"], "segment_seconds")))),
        ("build: no-op incremental, 2 workers (s)", fmt(value(b["noop"], "seconds")), "–", "–", "–"),
        ("index size (MB)", fmt(value(b["ours_w2"], "size_mb"), ".1f"), fmt(value(b["naive"], "size_mb"), ".1f"),
         fmt(value(b["fts5"], "size_mb"), ".1f"), "–"),
        ("build peak memory, 1 / 2 workers (MB)",
         f"{fmt(value(b['ours_w1'], 'peak_mb'), '.0f')} / {fmt(value(b['ours_w2'], 'peak_mb'), '.0f')}",
         fmt(value(b["naive"], "peak_mb"), ".0f"), fmt(value(b["fts5"], "peak_mb"), ".0f"),
         fmt(value(b["jieba"], "peak_mb"), ".0f")),
    ]
    rows.append(("index open time (ms)", ms(q["ours"], "open_seconds"), ms(q["naive"], "open_seconds"),
                 ms(q["fts5"], "open_seconds"), "–"))
    for p in (50, 95, 99):
        rows.append((f"result page p{p} (ms)", ms(q["ours"], f"p{p}"), ms(q["naive"], f"p{p}"),
                     ms(q["fts5"], f"p{p}"), "–"))
    rows.append(("result page again, from the result cache p95 (ms)", ms(q["ours"], "cached_p95"), "–", "–", "–"))
    rows.append(("open the index, fresh process (s)", fmt(value(b.get("open", {}), "open_s"), ".3f"), "–", "–", "–"))
    rows.append(("`reports-search 执法记录仪 --limit 10` wall, fresh process (s)",
                 fmt(value(b.get("open", {}), "cli_s"), ".2f"), "–", "–", "–"))
    for key in ("recall", "precision"):
        rows.append((f"{key} vs grep", *(fmt(value(q[s], key), ".3f") for s in ("ours", "naive", "fts5")), "1.000"))
    if web is not None:
        w = web if ok(web) else {}
        rows += [
            ("web: requests/s (8 clients)", fmt(w.get("rps"), ".1f"), "–", "–", "–"),
            ("web: p95 latency (ms)", fmt(w.get("p95"), ".0f", 1000), "–", "–", "–"),
            ("web: requests / errors", f"{w.get('requests', NA)} / {w.get('errors', NA)}{_kinds(w)}", "–", "–", "–"),
            ("web: server RSS idle / peak (MB)",
             f"{fmt(w.get('idle_mb'), '.0f')} / {fmt(w.get('peak_mb'), '.0f')}", "–", "–", "–"),
            ("web: 1 client alone: requests/s / p95 (ms) / errors",
             f"{fmt(w.get('rps_1'), '.1f')} / {fmt(w.get('p95_1'), '.0f', 1000)} / {w.get('errors_1', NA)}",
             "–", "–", "–"),
            ("web: /search.json first visit, 1 client, p50 / p95 (ms)",
             f"{fmt(w.get('json_p50'), '.1f', 1000)} / {fmt(w.get('json_p95'), '.1f', 1000)}", "–", "–", "–"),
            ("web: /search.json again (result cache), 1 client, p95 (ms)", fmt(w.get("again_p95"), ".2f", 1000),
             "–", "–", "–"),
        ]
    head = ["measure", "ours", "naive (Whoosh + ChineseAnalyzer)", "FTS5 trigram", "jieba alone / grep"]
    return _markdown(head, rows)


def ratios(b: dict, q: dict, web, every_core: tuple[int, dict] | None = None
           ) -> list[tuple[str, float | None, str, bool | None]]:
    """(ratio, value, target, met) for each of the issue's targets; ``every_core``: (processes, load) of the
    server run with several processes, whose scaling under many clients is the issue's target (one process is
    bound to one core by Python's lock)."""
    def div(x, y):
        return x / y if x is not None and y else None

    p95 = {s: value(q[s], "p95") for s in ("ours", "naive", "fts5")}
    checks = [
        ("result page p95: ours / naive", div(p95["ours"], p95["naive"]), "≤ 0.1", lambda v: v <= 0.1),
        ("result page p95: ours / FTS5", div(p95["ours"], p95["fts5"]), "≤ 1.0", lambda v: v <= 1.0),
        ("result page p50: ours / FTS5", div(value(q["ours"], "p50"), value(q["fts5"], "p50")), "≤ 2",
         lambda v: v <= 2),
        ("recall: ours", value(q["ours"], "recall"), "= 1.000", lambda v: round(v, 3) == 1.0),
        ("precision: ours", value(q["ours"], "precision"), "= 1.000", lambda v: round(v, 3) == 1.0),
        ("full build (1 worker) / jieba alone", div(value(b["ours_w1"], "seconds"),
                                                   value(b["jieba"], "segment_seconds")), "≤ 1.0", lambda v: v <= 1.0),
        ("full build, 1 worker / 2 workers (speed-up)", div(value(b["ours_w1"], "seconds"),
                                                           value(b["ours_w2"], "seconds")), "≥ 1.8",
         lambda v: v >= 1.8),
        ("no-op incremental rebuild (s)", value(b["noop"], "seconds"), "≤ 1", lambda v: v <= 1),
        ("index size / corpus text", div(value(b["ours_w2"], "size_mb"), b.get("corpus_mb")), "≤ 3",
         lambda v: v <= 3),
        ("result page from the cache p95 (ms)", _scaled(value(q["ours"], "cached_p95"), 1000), "≤ 2",
         lambda v: v <= 2),
        ("open the index (s; target at 10k)", value(b.get("open", {}), "open_s"), "≤ 0.3", lambda v: v <= 0.3),
        ("reports-search from a fresh process (s; target at 10k)", value(b.get("open", {}), "cli_s"), "≤ 1.5",
         lambda v: v <= 1.5),
    ]
    if "address" in b.get("ours_cluster", {}):
        checks.append(("full build, cluster / 2 workers (overhead)", div(value(b["ours_cluster"], "seconds"),
                                                                         value(b["ours_w2"], "seconds")),
                       "≤ 1.15", lambda v: v <= 1.15))
    if web is not None:
        w = web if ok(web) else {}
        checks += [
            ("web server peak RSS (MB)", w.get("peak_mb"), "≤ 300", lambda v: v <= 300),
            ("web: requests/s, 8 clients / 1 client", div(w.get("rps"), w.get("rps_1")), "≥ 1.8", lambda v: v >= 1.8),
            ("web: p95, 8 clients / 1 client", div(w.get("p95"), w.get("p95_1")), "≤ 5", lambda v: v <= 5),
            ("web: /search.json p95 (1 client) / FTS5 in-process p95", div(w.get("json_p95"), p95["fts5"]), "≤ 2",
             lambda v: v <= 2),
            ("web: /search.json again p95 (ms)", _scaled(w.get("again_p95"), 1000), "≤ 2", lambda v: v <= 2),
        ]
    if every_core is not None and every_core[0] > 1:
        n, w = every_core[0], every_core[1] if ok(every_core[1]) else {}
        checks += [
            (f"web, --workers {n}: requests/s, 8 clients / 1 client", div(w.get("rps"), w.get("rps_1")), "≥ 1.8",
             lambda v: v >= 1.8),
            (f"web, --workers {n}: p95, 8 clients / 1 client", div(w.get("p95"), w.get("p95_1")), "≤ 5",
             lambda v: v <= 5),
        ]
    return [(name, v, target, None if v is None else test(v)) for name, v, target, test in checks]


def web_table(by_workers: dict) -> list[str]:
    """One row per ``reports-web --workers N`` load: requests/s, p95, errors, RSS (summed over the processes),
    and one client alone on the same server: its requests/s and p95, and the many's over them."""
    rows = []
    for n, w in by_workers.items():
        w = w if ok(w) else {}
        rps_1, p95_1 = w.get("rps_1"), w.get("p95_1")
        rows.append((n, fmt(w.get("rps"), ".1f"), fmt(w.get("p95"), ".0f", 1000),
                     f"{w.get('requests', NA)} / {w.get('errors', NA)}{_kinds(w)}",
                     f"{fmt(w.get('idle_mb'), '.0f')} / {fmt(w.get('peak_mb'), '.0f')}",
                     f"{fmt(rps_1, '.1f')} / {fmt(p95_1, '.0f', 1000)}",
                     f"{fmt(_over(w.get('rps'), rps_1), '.2f')} / {fmt(_over(w.get('p95'), p95_1), '.1f')}"))
    return _markdown(["server processes", "requests/s", "p95 (ms)", "requests / errors",
                      "RSS idle / peak (MB, all processes)", "1 client: requests/s / p95 (ms)",
                      "many / 1: requests/s / p95"], rows)


def _over(x, y):
    return x / y if x is not None and y else None


def _scaled(v, k):
    return None if v is None else v * k


def ratio_table(rows) -> list[str]:
    body = [(name, fmt(v, ".3f"), target, NA if met is None else ("PASS" if met else "MISS"))
            for name, v, target, met in rows]
    return _markdown(["ratio / target", "value", "target", "result"], body)


def kind_table(q: dict) -> list[str]:
    systems = [s for s in ("ours", "naive", "fts5") if ok(q[s])]
    kinds = list(next((q[s]["by_kind"] for s in systems), {}))
    rows = [(kind, *(f"{q[s]['by_kind'][kind][0]:.3f} / {q[s]['by_kind'][kind][1]:.3f}" for s in systems))
            for kind in kinds]
    return _markdown(["query kind", *(f"{s} recall / precision" for s in systems)], rows)


def _kinds(w: dict) -> str:
    """`` (HTTP 503 ×3, ConnectionResetError ×1)``: what the load's errors were, or nothing."""
    kinds = w.get("error_kinds") or {}
    return " (" + ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items())) + ")" if kinds else ""


def errors(b: dict, q: dict, web) -> list[str]:
    stages = [("build", b), ("queries", q), ("web", {"server": web or {}})]
    return [f"- {stage} {name}: {entry['error']}" for stage, entries in stages for name, entry in entries.items()
            if isinstance(entry, dict) and "error" in entry]


def _markdown(head: list[str], rows) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def machine() -> str:
    mem = NA
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or NA
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return (f"nproc {os.cpu_count()}, memory {mem}, CPU {cpu}; Python {sys.version.split()[0]}, "
            f"SQLite {sqlite3.sqlite_version}; {platform.platform()}")


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
