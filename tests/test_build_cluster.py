"""Builds on a real Dask cluster (``reports-index build --cluster``): a ``dask scheduler`` and ``dask worker``
processes on loopback, started with the venv's ``dask`` command, and builds run as subprocesses.

A cluster build must give the same index as a local one (every stored document; every query's hits, order,
facets and snippets), survive a worker killed mid-build, refuse a worker that cannot see the index directory,
and leave the old generation serving when the scheduler goes away.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

import pytest

from bench.corpus import generate
from bench.queries import make_queries
from build_helpers import SEEDS, make_corpus, modify, stored_docs
from indexer.build import build
from indexer.build.cluster import split
from search.engine import Engine, QueryError, SearchRequest

DASK = Path(sys.executable).with_name("dask")
SYNTHETIC = 60

# The query language's every construct, filters, sorts and pages, then the bench's generated queries.
REQUESTS = [
    SearchRequest(q="执法记录仪"), SearchRequest(q="执法 记录仪"), SearchRequest(q='"执法 记录"'),
    SearchRequest(q="行政复议 OR 信访"), SearchRequest(q="执法 -信访"), SearchRequest(q="标题:公安"),
    SearchRequest(q="章节:问题"), SearchRequest(q="同句(执法 监督)"), SearchRequest(q="同段(法治 培训)"),
    SearchRequest(q="法"), SearchRequest(q="２０２１"), SearchRequest(q="執法"),
    SearchRequest(q="执法", mode="words"), SearchRequest(q="执法", sort="year"),
    SearchRequest(q="执法", page=2),
    SearchRequest(q="执法", kind=["问题不足"]), SearchRequest(q="法治", province=["广东"]),
    SearchRequest(q="法治", year_from=2020, year_to=2022), SearchRequest(q="", limit=50),
    *[SearchRequest(q=query.q, province=list(query.province), year_from=query.year_from, year_to=query.year_to)
      for query in make_queries(40, seed=3)],
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(log: Path, text: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            pytest.fail(f"{log.name} ended (rc {proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    pytest.fail(f"{log.name}: no {text!r} within {timeout} s")


class Cluster:
    """A scheduler and workers, each a process group of its own (a worker is a nanny and its child)."""

    def __init__(self, tmp: Path):
        tmp.mkdir(parents=True, exist_ok=True)
        self.tmp, self.port = tmp, free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, cmd: list[str], ready: str, env: dict | None = None) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=self.tmp, start_new_session=True,
                                    env=dict(os.environ, **(env or {})))
        self.procs[name] = proc
        wait_for(log, ready, proc)
        return proc

    def scheduler(self) -> None:
        self.start("scheduler", [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                                 "--no-dashboard"], "Scheduler at:")

    def worker(self, name: str, prefix: list[str] | None = None, env: dict | None = None) -> None:
        cmd = [str(DASK), "worker", self.address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
               "--name", name, "--host", "127.0.0.1"]
        cmd = [*(prefix or []), *cmd]
        self.start(name, cmd, "Registered to:", env)

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()

    def stop(self) -> None:
        for name in list(self.procs):
            self.kill(name)


@contextmanager
def cluster(tmp: Path, workers: int = 2):
    c = Cluster(tmp)
    try:
        c.scheduler()
        for k in range(workers):
            c.worker(f"w{k + 1}")
        yield c
    finally:
        c.stop()


def cluster_build(corpus: Path, index_dir: Path, address: str, *args: str, popen: bool = False):
    cmd = [sys.executable, "-m", "indexer.cli", "build", str(corpus), "--index-dir", str(index_dir),
           "--cluster", address, *args]
    if popen:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def answers(index_dir: Path) -> list[dict]:
    engine = Engine(index_dir)

    def answer(request):
        try:
            return engine.search(request).to_dict()
        except QueryError as e:  # a generated filter value this small corpus does not hold: the same message
            return {"error": str(e)}

    try:
        return [answer(request) for request in REQUESTS]
    finally:
        engine.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seeds plus synthetic reports recombined from them under real agencies (bench's generator)."""
    path = make_corpus(tmp_path_factory.mktemp("cluster-corpus") / "corpus")
    generate(SYNTHETIC, path, seed=2)
    return path


@pytest.fixture(scope="module")
def local_index(corpus, tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("local") / "index"
    build(corpus, index_dir, workers=2)
    return index_dir


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    with cluster(tmp_path_factory.mktemp("dask")) as c:
        yield c


def test_a_cluster_build_gives_the_local_builds_index_and_answers(corpus, local_index, dask_cluster, tmp_path):
    index_dir = tmp_path / "index"
    run = cluster_build(corpus, index_dir, dask_cluster.address)
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(rf"added {len(SEEDS) + SYNTHETIC}, updated 0, removed 0, unchanged 0, failed 0 in .* on "
                        rf"cluster {dask_cluster.address} \(2 workers: tcp://127\.0\.0\.1:\d+, "
                        r"tcp://127\.0\.0\.1:\d+\); index gen-000001", run.stdout.strip()), run.stdout
    assert stored_docs(index_dir) == stored_docs(local_index)
    assert answers(index_dir) == answers(local_index)


def test_an_incremental_cluster_build_sends_only_the_changed_file(corpus, dask_cluster, tmp_path):
    work = make_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    assert cluster_build(work, index_dir, dask_cluster.address, "--quiet").returncode == 0
    modify(work)
    run = cluster_build(work, index_dir, dask_cluster.address, "--quiet", "--json")
    assert run.returncode == 0, run.stderr
    assert '"updated": 1' in run.stdout and f'"unchanged": {len(SEEDS) - 1}' in run.stdout
    fresh = tmp_path / "fresh"
    build(work, fresh, workers=1)
    assert stored_docs(index_dir) == stored_docs(fresh)


def test_a_bad_file_is_reported_with_the_workers_host(dask_cluster, tmp_path):
    work = make_corpus(tmp_path / "corpus")
    (work / "empty.txt").write_text("\n\n", encoding="utf-8")
    run = cluster_build(work, tmp_path / "index", dask_cluster.address, "--quiet")
    assert run.returncode == 1, run.stderr
    (line,) = [line for line in run.stderr.splitlines() if line.startswith("failed:")]
    assert re.fullmatch(rf"failed: empty\.txt: empty file \(on worker {re.escape(socket.gethostname())} "
                        r"tcp://127\.0\.0\.1:\d+\)", line), line
    assert f"added {len(SEEDS)}, updated 0, removed 0, unchanged 0, failed 1" in run.stdout


def can_mount_privately() -> bool:
    """Whether this process may start a process in a mount namespace of its own (root, unshare(1))."""
    if shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as target:
        run = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs tmpfs {target}"], capture_output=True)
    return run.returncode == 0


@pytest.mark.skipif(not can_mount_privately(), reason="needs a private mount namespace (root and unshare(1))")
def test_a_worker_that_cannot_see_the_index_directory_is_named(corpus, local_index, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(local_index, index_dir)
    with cluster(tmp_path / "dask", workers=1) as c:
        # This worker runs in a mount namespace of its own where the index directory is an empty tmpfs.
        c.worker("blind", ["unshare", "-m", "sh", "-c", f'mount -t tmpfs tmpfs {index_dir} && exec "$@"', "sh"])
        run = cluster_build(corpus, index_dir, c.address, "--rebuild", "--quiet")
    assert run.returncode == 2, run.stdout + run.stderr
    message = run.stderr.strip().splitlines()[-1]
    assert message.startswith("Error: the index directory and the corpus must be visible to every Dask worker at "
                              "the same path (a shared filesystem), and the workers must run this version: "
                              "worker tcp://127.0.0.1:"), message
    assert re.search(rf"cannot see the index directory: cannot read {re.escape(str(index_dir))}/\.tmp-gen-000002-"
                     r"[^/]+/probe \(No such file or directory\)", message), message
    assert message.count("worker tcp://") == 1  # the other worker sees it
    assert (index_dir / "CURRENT").read_text().strip() == "gen-000001"
    assert answers(index_dir) == answers(local_index)


def test_a_worker_running_another_parser_version_is_refused(tmp_path):
    import indexer

    code = tmp_path / "code"
    for package in ("indexer", "search"):
        shutil.copytree(Path(indexer.__file__).parent.parent / package, code / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    with open(code / "indexer" / "parse" / "__init__.py", "a", encoding="utf-8") as f:
        f.write("\n# another version of the parser\n")
    work = make_corpus(tmp_path / "corpus")
    with cluster(tmp_path / "dask", workers=1) as c:
        c.worker("other", env={"PYTHONPATH": str(code)})
        run = cluster_build(work, tmp_path / "index", c.address, "--quiet")
    assert run.returncode == 2, run.stdout + run.stderr
    message = run.stderr.strip().splitlines()[-1]
    assert re.search(r"worker tcp://127\.0\.0\.1:\d+: on \S+ runs another version of the parser or the analysis "
                     r"than the builder: install the same$", message), message
    assert message.count("worker tcp://") == 1
    assert not (tmp_path / "index" / "CURRENT").exists()


def _wait_for_parts(index_dir: Path, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(index_dir.glob(".tmp-*/part-*"))) >= n:
            return
        time.sleep(0.05)
    pytest.fail(f"the build did not start {n} tasks (rc {proc.poll()})")


@pytest.mark.slow
def test_a_worker_killed_mid_build_has_its_batch_rerun(corpus, local_index, tmp_path):
    index_dir = tmp_path / "index"
    with cluster(tmp_path / "dask") as c:
        proc = cluster_build(corpus, index_dir, c.address, "--quiet", popen=True)
        _wait_for_parts(index_dir, 2, proc)  # both workers are in a batch
        c.kill("w1")
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"added {len(SEEDS) + SYNTHETIC}, updated 0" in out
    assert stored_docs(index_dir) == stored_docs(local_index)
    assert answers(index_dir) == answers(local_index)


@pytest.mark.slow
def test_a_scheduler_gone_mid_build_ends_it_with_the_old_index_serving(corpus, local_index, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(local_index, index_dir)
    with cluster(tmp_path / "dask") as c:
        proc = cluster_build(corpus, index_dir, c.address, "--quiet", "--rebuild", popen=True)
        _wait_for_parts(index_dir, 1, proc)
        c.kill("scheduler")
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, out + err
    assert err.strip().splitlines()[-1].startswith(f"Error: lost the Dask cluster at {c.address}")
    assert (index_dir / "CURRENT").read_text().strip() == "gen-000001"
    assert answers(index_dir) == answers(local_index)


def test_local_n_starts_a_local_cluster_of_n_workers(tmp_path):
    work = make_corpus(tmp_path / "corpus")
    run = cluster_build(work, tmp_path / "index", "local:2", "--quiet")
    assert run.returncode == 0, run.stderr
    assert re.search(r" on cluster local:2 \(2 workers: tcp://127\.0\.0\.1:\d+, tcp://127\.0\.0\.1:\d+\); "
                     r"index gen-000001$", run.stdout.strip()), run.stdout
    fresh = tmp_path / "fresh"
    build(work, fresh, workers=1)
    assert stored_docs(tmp_path / "index") == stored_docs(fresh)


@pytest.mark.parametrize("files, workers, count, sizes", [
    (1, 2, 1, {1}), (10, 2, 8, {1, 2}), (1000, 2, 8, {125}), (1000, 16, 64, {15, 16}),
    (100_000, 2, 50, {2000}), (100_001, 2, 51, {1960, 1961}),
])
def test_split_makes_contiguous_batches_per_worker_of_at_most_max_batch(files, workers, count, sizes):
    rids = [f"r{i:06d}" for i in range(files)]
    batches = split(rids, workers)
    assert (len(batches), {len(b) for b in batches}, list(chain.from_iterable(batches))) == (count, sizes, rids)


def test_a_bad_cluster_option_is_a_usage_error(corpus, tmp_path):
    run = cluster_build(corpus, tmp_path / "index", "nonsense")
    assert (run.returncode, run.stderr.strip()) == (
        2, "Error: --cluster takes a scheduler address (tcp://host:8786) or local:N, not 'nonsense'")
    run = subprocess.run([sys.executable, "-m", "indexer.cli", "build", str(corpus), "--index-dir",
                          str(tmp_path / "index"), "--cluster", "local:2", "--workers", "2"],
                         capture_output=True, text=True)
    assert (run.returncode, run.stderr.strip()) == (
        2, "Error: --workers and --cluster exclude each other (local:N runs N processes on this machine)")
