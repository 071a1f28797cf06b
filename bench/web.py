"""Benchmark of the web server: ``reports-web`` on 127.0.0.1 under C concurrent clients for S seconds.

Each client is a thread with its own keep-alive ``http.client`` connection, cycling through the query set's
``/search`` pages (the HTML result page a user sees). Loopback only; bounded in clients and time. The load
generator shares the machine (and its 2 cores) with the server, as a local user's browser would.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.measure import PeakSampler, percentile, tree_rss
from bench.queries import Query

HOST = "127.0.0.1"


def search_path(query: Query) -> str:
    params = [("q", query.q)] + [("province", p) for p in query.province]
    if query.year_from is not None:
        params.append(("year_from", str(query.year_from)))
    if query.year_to is not None:
        params.append(("year_to", str(query.year_to)))
    return "/search?" + urlencode(params)


def json_path(query: Query) -> str:
    """The same page's JSON twin."""
    return "/search.json" + search_path(query)[len("/search"):]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(index_dir: Path, port: int, workers: int = 1) -> subprocess.Popen:
    """``reports-web`` on ``port``; its stderr goes to a file (``server.log``), never a pipe: under load waitress
    logs a line per queued request, and a pipe nobody reads fills and stalls the server (the clients then time
    out: what the 1-process loads' "errors" were)."""
    cmd = [str(Path(sys.executable).with_name("reports-web")), "--index-dir", str(index_dir), "--host", HOST,
           "--port", str(port), "--workers", str(workers)]
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    server.log = log
    return server


def server_log(server: subprocess.Popen, chars: int = 500) -> str:
    """The end of what the server wrote to stderr."""
    server.log.seek(0)
    return server.log.read()[-chars:]


def wait_ready(server: subprocess.Popen, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"reports-web exited: {server_log(server)}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/search?q=%E6%B3%95%E6%B2%BB")  # warms the engine: 法治
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("reports-web did not answer in time")


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    peak_rss: int
    idle_rss: int
    error_kinds: dict[str, int] = field(default_factory=dict)  # "HTTP 503", "ConnectionResetError": how many

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95) if self.latencies else float("nan")


def _client(port: int, paths: list[str], offset: int, deadline: float, out: list, errors: list) -> None:
    """Request ``paths`` in turn from ``offset`` until ``deadline``: each latency into ``out``, each failure's kind
    into ``errors``."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    i = offset
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            failed = None if response.status == 200 else f"HTTP {response.status}"
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            failed = type(e).__name__
        out.append(time.perf_counter() - start)
        if failed:
            errors.append(failed)
    conn.close()


@contextmanager
def serving(index_dir: Path, workers: int = 1):
    """A fresh ``reports-web`` on a free loopback port, answering (its engine warmed); yields (server, port)."""
    port = free_port()
    server = start_server(index_dir, port, workers)
    try:
        wait_ready(server, port)
        yield server, port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.log.close()


def load(index_dir: Path, queries: list[Query], clients: int = 8, seconds: float = 30.0, workers: int = 1) -> Load:
    """``workers`` > 1: ``reports-web --workers`` (gunicorn); RSS is summed over the master and its workers."""
    with serving(index_dir, workers) as (server, port):
        for _ in range(4 * workers):  # every worker opens its engine before the clock starts
            wait_ready(server, port)
        idle = tree_rss(server.pid)
        paths = [search_path(q) for q in queries]
        latencies: list[float] = []
        errors: list[str] = []
        start = time.perf_counter()
        deadline = time.monotonic() + seconds
        step = max(1, len(paths) // clients)
        threads = [threading.Thread(target=_client, args=(port, paths, c * step, deadline, latencies, errors))
                   for c in range(clients)]
        with PeakSampler(server.pid, interval=0.2) as sampler:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        elapsed = time.perf_counter() - start
        return Load(len(latencies), len(errors), elapsed, latencies, sampler.peak, idle, dict(Counter(errors)))


def _timed_get(conn: http.client.HTTPConnection, path: str) -> float:
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - start


def json_pages(index_dir: Path, queries: list[Query], repeats: int = 50, workers: int = 1) -> dict:
    """One client, a fresh server: every query's ``/search.json`` once (a first visit: the result cache does not
    hold it), then the first query's ``repeats`` times more (answered from the result cache). Seconds."""
    with serving(index_dir, workers) as (_, port):
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        first = [_timed_get(conn, json_path(q)) for q in queries]
        again = [_timed_get(conn, json_path(queries[0])) for _ in range(repeats)]
        conn.close()
    return {"json_p50": percentile(first, 50), "json_p95": percentile(first, 95), "again_p95": percentile(again, 95)}
