"""Reliability: searches from several threads and processes while incremental builds and full rebuilds run.

Three threads share one ``Engine`` (as the web server's threads do), one thread goes through the Flask app, and two
separate processes each search through their own ``Engine`` (``reliability_searcher.py``). Meanwhile builds add,
change and delete files, incrementally and with ``--rebuild``. Every search must answer (zero errors) and the
number of reports must always be that of one of the corpus states, never a half-built one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from indexer.build import build
from reliability import cli_build, numbered_corpus, record
from reliability_searcher import QUERIES
from search.engine import Engine, SearchRequest

pytestmark = pytest.mark.slow

SEARCHER = Path(__file__).resolve().parent / "reliability_searcher.py"


def changes(corpus: Path):
    """(what, build options, reports afterwards): the builds run while searching."""
    def add(numbers):
        return lambda: numbered_corpus(corpus, numbers)

    def modify(numbers):
        return lambda: numbered_corpus(corpus, numbers, changed=frozenset(numbers))

    def delete(numbers):
        return lambda: [(corpus / f"r{k:03d}.txt").unlink() for k in numbers]

    return [
        ("add 20", add(range(40, 60)), [], 60),
        ("change 10", modify(range(0, 10)), [], 60),
        ("delete 10", delete(range(50, 60)), [], 50),
        ("rebuild", lambda: None, ["--rebuild"], 50),
        ("add 10 and rebuild", add(range(60, 70)), ["--rebuild"], 60),
        ("change 5, delete 5", lambda: (modify(range(20, 25))(), delete(range(30, 35))()), [], 55),
        ("no-op", lambda: None, [], 55),
    ]


def test_searches_during_builds_never_fail(tmp_path):
    corpus, index_dir = numbered_corpus(tmp_path / "corpus", range(40)), tmp_path / "index"
    build(corpus, index_dir, workers=2)
    plan = changes(corpus)
    totals = {40} | {n for *_, n in plan}
    stop = tmp_path / "stop"
    procs = [subprocess.Popen([sys.executable, str(SEARCHER), str(index_dir), str(stop), ",".join(map(str, totals))],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    engine = Engine(index_dir)
    done = threading.Event()
    tally: Counter = Counter()
    errors: list[str] = []

    def engine_loop(offset: int) -> None:
        i = offset
        while not done.is_set():
            q = QUERIES[i % len(QUERIES)]
            try:
                total = engine.search(SearchRequest(q=q, limit=20)).total
                if q == "" and total not in totals:
                    errors.append(f"engine: {total} reports")
                tally["thread searches"] += 1
            except Exception as e:  # collected, then asserted empty: the point of the test
                errors.append(f"engine: {e!r}")
            i += 1
            done.wait(0.005)  # two cores: leave the builds some room

    def web_loop() -> None:
        from webui import create_app

        client = create_app({"INDEX_DIR": str(index_dir)}).test_client()
        i = 0
        while not done.is_set():
            path = ["/search.json?q=执法", "/search?q=行政复议", "/report/r001.txt?q=执法", "/"][i % 4]
            status = client.get(path).status_code
            if status != 200:
                errors.append(f"web: {path} → {status}")
            tally["web requests"] += 1
            i += 1
            done.wait(0.005)

    threads = [threading.Thread(target=engine_loop, args=(k,)) for k in range(3)]
    threads.append(threading.Thread(target=web_loop))
    for t in threads:
        t.start()
    builds = []
    try:
        for what, change, options, expected in plan:
            change()
            result = cli_build(corpus, index_dir, "--workers", "2", *options)
            builds.append((what, result.returncode, result.stderr))
        done.wait(2 * 1.0)  # the engines notice the last swap within their refresh interval
    finally:
        done.set()
        stop.touch()
        for t in threads:
            t.join()
        outputs = [p.communicate(timeout=120) for p in procs]
    engine.close()
    processes = [json.loads(out) for out, _ in outputs]
    tally["process searches"] = sum(p["searches"] for p in processes)
    record("concurrency", {"builds": [b[0] for b in builds], **dict(tally), "errors": len(errors) + sum(
        len(p["errors"]) + len(p["bad_totals"]) for p in processes)})
    assert [(what, 0, "") for what, *_ in plan] == builds
    assert ([], [([], [])] * 2) == (errors, [(p["errors"], p["bad_totals"]) for p in processes])
    assert all(tally[k] > 0 for k in ("thread searches", "web requests")) and all(p["searches"] for p in processes)
