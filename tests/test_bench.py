"""Smoke tests of bench/: the generator is deterministic and sized, the query set is well-formed, and the
benchmark command runs end to end on 20 reports (web load for 2 s). No timing is asserted here."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TABLE_ROWS = [
    "build: full, 1 worker (s)",
    "build: full, 2 workers (s)",
    "build: throughput, 1 worker (MB/s)",
    "build: no-op incremental, 2 workers (s)",
    "index size (MB)",
    "build peak memory, 1 / 2 workers (MB)",
    "index open time (ms)",
    "result page p50 (ms)",
    "result page p95 (ms)",
    "result page p99 (ms)",
    "result page again, from the result cache p95 (ms)",
    "open the index, fresh process (s)",
    "`reports-search 执法记录仪 --limit 10` wall, fresh process (s)",
    "recall vs grep",
    "precision vs grep",
    "web: requests/s (8 clients)",
    "web: p95 latency (ms)",
    "web: requests / errors",
    "web: server RSS idle / peak (MB)",
    "web: 1 client alone: requests/s / p95 (ms) / errors",
    "web: /search.json first visit, 1 client, p50 / p95 (ms)",
    "web: /search.json again (result cache), 1 client, p95 (ms)",
]
RATIO_ROWS = [
    "result page p95: ours / naive",
    "result page p95: ours / FTS5",
    "result page p50: ours / FTS5",
    "recall: ours",
    "precision: ours",
    "full build (1 worker) / jieba alone",
    "full build, 1 worker / 2 workers (speed-up)",
    "no-op incremental rebuild (s)",
    "index size / corpus text",
    "result page from the cache p95 (ms)",
    "open the index (s; target at 10k)",
    "reports-search from a fresh process (s; target at 10k)",
    "web server peak RSS (MB)",
    "web: requests/s, 8 clients / 1 client",
    "web: p95, 8 clients / 1 client",
    "web: /search.json p95 (1 client) / FTS5 in-process p95",
    "web: /search.json again p95 (ms)",
]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    # bench/ is not an installed package: run it as a module from the repository root
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def generated(out: Path, n: int) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / f"corpus-{n}").iterdir())}


def test_generator_is_deterministic_and_sized(tmp_path):
    for name in ("a", "b"):
        assert 0 == run("bench.corpus", "--reports", "12", "--seed", "3", "--out", str(tmp_path / name)).returncode
    first, second = generated(tmp_path / "a", 12), generated(tmp_path / "b", 12)
    assert first == second
    assert [f"synthetic-{i:05d}.txt" for i in range(12)] == list(first)
    assert [] == [name for name, data in first.items() if not 3 * 1024 <= len(data) <= 30 * 1024]
    manifest = [json.loads(line) for line in (tmp_path / "a" / "corpus-12.jsonl").read_text("utf-8").splitlines()]
    assert list(first) == [m["file"] for m in manifest]
    # every report names its own agency (title and signature) and its year
    assert [] == [m["file"] for m in manifest
                  if m["agency"] not in first[m["file"]].decode() or f"{m['year']}年" not in first[m["file"]].decode()]


def test_generator_never_writes_into_corpus():
    result = run("bench.corpus", "--reports", "1", "--out", str(ROOT / "corpus" / "x"))
    assert 0 != result.returncode
    assert not (ROOT / "corpus" / "x").exists()


def test_queries_are_deterministic_and_well_formed():
    code = "from bench.queries import make_queries; import json; print(json.dumps([q.to_dict() for q in make_queries(60, 5)]))"
    outputs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout
               for _ in range(2)]
    assert outputs[0] == outputs[1]
    queries = json.loads(outputs[0])
    assert 60 == len(queries)
    assert {"frequent", "rare", "subword", "place", "multi", "facet"} == {q["kind"] for q in queries}
    assert [] == [q["q"] for q in queries if not all(2 <= len(term) <= 8 for term in q["q"].split())]


def table_labels(stdout: str, first: str) -> list[str]:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1].strip())
    return rows


def test_bench_command_runs_on_20_reports(tmp_path):
    results = tmp_path / "RESULTS.md"
    result = run("bench", "--reports", "20", "--queries", "12", "--web-seconds", "2", "--out", str(tmp_path),
                 "--results", str(results), timeout=300)
    assert 0 == result.returncode, result.stderr[-2000:]
    assert TABLE_ROWS == table_labels(result.stdout, "measure")
    assert RATIO_ROWS == table_labels(result.stdout, "ratio / target")
    assert "errors:" not in result.stdout, result.stdout  # every system, ours included, was measured
    assert results.read_text("utf-8").startswith("# Benchmark results\n")


OVERLAP_ROWS = [
    "one report against all, first call (reads the hash arrays) (s)",
    "one report against all, p50 / p95 / max (s)",
    "other reports holding a fingerprint, median",
    "sources compared and listed, median",
    "collection pairs, the whole collection: 20 reports (s)",
    "collection pairs, one province (广东): {} reports (s)",
    "fingerprint files (MB)",
    "corpus (MB) / whole index (MB)",
    "fingerprint bytes per corpus byte",
]


def test_overlap_bench_runs_on_20_reports(tmp_path):
    results = tmp_path / "OVERLAP.md"
    result = run("bench.overlap", "--reports", "20", "--sample", "3", "--out", str(tmp_path), "--results", str(results))
    assert 0 == result.returncode, result.stderr[-2000:]
    rows = table_labels(result.stdout, "measure")
    province = rows[5].split(": ")[1].split(" ")[0]
    assert [r.format(province) for r in OVERLAP_ROWS] == rows
    assert results.read_text("utf-8").startswith("# Copy detection benchmark\n")


def test_metadata_sweep_runs_on_a_sample(tmp_path):
    out = tmp_path / "METADATA.md"
    done = subprocess.run([sys.executable, "-m", "bench.metadata_sweep", "--sample", "12", "--results", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert 0 == done.returncode, done.stderr
    table = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert ["clue kind", "body", "cited_title", "slogan", "own_area", "doc_number", "url"] == [
        line.split(" | ")[0].strip("| ") for line in table]
    assert "gaj.fuzhou.gov.cn: 福州市（福建） / 抚州市（江西）" in done.stdout


@pytest.mark.slow
def test_bench_scaling_options_on_20_reports(tmp_path):
    result = run("bench", "--reports", "20", "--queries", "12", "--web-seconds", "2", "--out", str(tmp_path),
                 "--results", "-", "--skip-naive", "--skip-1worker", "--skip-jieba", "--cluster", "local:2",
                 "--web-workers", "1,2", timeout=300)
    assert 0 == result.returncode, result.stderr[-2000:]
    rows = table_labels(result.stdout, "measure")
    assert rows == TABLE_ROWS[:2] + ["build: full, --cluster local:2 (s)"] + TABLE_ROWS[2:]
    web = RATIO_ROWS.index("web server peak RSS (MB)")  # the web's ratios come last, after the cluster's
    assert table_labels(result.stdout, "ratio / target") == RATIO_ROWS[:web] + [
        "full build, cluster / 2 workers (overhead)", *RATIO_ROWS[web:],
        "web, --workers 2: requests/s, 8 clients / 1 client", "web, --workers 2: p95, 8 clients / 1 client"]
    assert table_labels(result.stdout, "server processes") == ["1", "2"]
    assert "Left out of this run: jieba (--skip-jieba), ours_w1 (--skip-1worker), naive (--skip-naive)." in result.stdout
    assert "errors:" not in result.stdout, result.stdout


def test_the_web_table_says_what_the_errors_were():
    from bench import report

    load = {"rps": 10.0, "p95": 0.1, "requests": 300, "errors": 3, "idle_mb": 100, "peak_mb": 120,
            "error_kinds": {"HTTP 503": 2, "ConnectionResetError": 1}, "rps_1": 4.0, "p95_1": 0.04}
    assert ("| 1 | 10.0 | 100 | 300 / 3 (ConnectionResetError ×1, HTTP 503 ×2) | 100 / 120 | 4.0 / 40 | 2.50 / 2.5 |"
            in report.web_table({1: load}))
    assert ("| 2 | 10.0 | 100 | 300 / 0 | 100 / 120 | 4.0 / 40 | 2.50 / 2.5 |"
            in report.web_table({2: {**load, "errors": 0, "error_kinds": {}}}))
    assert "| 2 | n/a | n/a | n/a / n/a | n/a / n/a | n/a / n/a | n/a / n/a |" in report.web_table({2: {"error": "x"}})


def test_eight_clients_on_one_process_never_stall_on_its_log(seed_index):
    """Under load waitress logs a line per queued request; the bench's server writes them to a file, not to a
    pipe it never reads (which filled within seconds and stalled the server until every client timed out)."""
    from bench.queries import make_queries
    from bench.web import load

    plain = [q for q in make_queries(60, 1) if not q.province and q.year_from is None and q.year_to is None]
    result = load(seed_index, plain, clients=8, seconds=8, workers=1)
    assert (0, {}) == (result.errors, result.error_kinds) and result.requests > 100
