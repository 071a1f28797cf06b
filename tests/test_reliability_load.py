"""Reliability: 16 concurrent clients for 60 s against a real ``reports-web`` on 127.0.0.1: zero errors.

The server is the console script as staff run it (waitress, its default threads) over an index of 80 reports. Each
client is a thread with its own keep-alive ``http.client`` connection, requesting a mix of pages (search, facets,
words mode, paging, JSON, CSV, report pages, the home page) in a seeded random order. An error is an exception, a
status other than 200, or a traceback in the server's log. Latencies (p50 / p99) are reported, not asserted.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
import urllib.parse

import pytest

from indexer.build import build
from reliability import WebServer, numbered_corpus, record

pytestmark = pytest.mark.slow

CLIENTS = 16
SECONDS = 60.0
PATHS = [
    "/", "/search?q=执法", "/search?q=执法记录仪", "/search?q=行政复议 -信访", "/search?q=执法&page=2",
    "/search?q=法治&mode=words", "/search?q=执法&sort=year", "/search?q=警", "/search?q=2021年",
    "/search?q=标题:报告", "/search?q=同句(执法 监督)", "/search?q=执法 OR 复议&year=2020-2023",
    "/search.json?q=执法&limit=50", "/search.json?q=公安局", "/search.csv?q=执法记录仪",
    "/report/r001.txt?q=执法", "/report/r042.txt", "/report.json?id=r017.txt&q=复议", "/search?q=没有这个词语",
]


def quoted(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def test_sixteen_clients_for_a_minute(tmp_path):
    corpus, index_dir = numbered_corpus(tmp_path / "corpus", range(80)), tmp_path / "index"
    build(corpus, index_dir, workers=2)
    server = WebServer(index_dir)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client(k: int) -> None:
        rnd = random.Random(k)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        mine, bad = [], []
        while time.monotonic() < deadline:
            path = quoted(rnd.choice(PATHS))
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad.append(f"{path} → {response.status}")
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as e:  # counted: zero is asserted
                bad.append(f"{path} → {e!r}")
                conn.close()
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        log = server.close()
    figures = {"clients": CLIENTS, "seconds": SECONDS, "requests": len(latencies), "errors": len(errors),
               "p50_ms": round(1000 * percentile(latencies, 50), 1),
               "p99_ms": round(1000 * percentile(latencies, 99), 1),
               "max_ms": round(1000 * max(latencies), 1), "requests_per_second": round(len(latencies) / SECONDS, 1)}
    record("load", figures)
    assert ([], False) == (errors[:20], "Traceback" in log)
    assert len(latencies) > 0
