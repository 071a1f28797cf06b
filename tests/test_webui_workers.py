"""``reports-web --workers 2``: a real gunicorn master and two forked workers on loopback serve every page exactly
as the single waitress process does, and both workers follow a new generation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from build_helpers import add, make_corpus, modify
from indexer.build import build
from search.engine import REFRESH_SECONDS
from test_webui_cli import STARTUP, free_port, get

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn's workers: Linux")

PAGES = ["/", "/search?q=执法", "/search.json?q=执法记录仪", "/search?q=行政复议+OR+信访&province=广东",
         "/search.json?q=执法&mode=words&sort=year", "/matrix.json?q=执法", "/trend?q=执法",
         "/compliance.json", "/explain.json?q=同句(执法+记录仪)", "/search.csv?q=执法"]


def quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&+%")


class Server:
    def __init__(self, index_dir: Path, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        script = Path(sys.executable).parent / "reports-web"
        self.proc = subprocess.Popen([str(script), "--index-dir", str(index_dir), "--port", str(self.port), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        get(self.url + "/", time.monotonic() + STARTUP)

    def page(self, path: str) -> bytes:
        status, _, body = get(self.url + quote(path), time.monotonic() + STARTUP)
        assert status == 200, path
        return body.replace(self.url.encode(), b"http://SERVER")  # the CSV's links are absolute

    def children(self) -> list[int]:
        with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
            return [int(pid) for pid in f.read().split()]

    def wait_children(self, n: int) -> list[int]:
        """The master's workers once n of them run: gunicorn forks them one after another, with a short random
        pause between, so the first may answer before the second exists."""
        deadline = time.monotonic() + STARTUP
        while len(children := self.children()) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        return children

    def stop(self) -> str:
        os.killpg(self.proc.pid, signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=30)
        return out.decode()


def index_files_open(pid: int, index_dir: Path) -> set[str]:
    """The generations a process holds files of."""
    held = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(index_dir) + "/gen-"):
            held.add(target[len(str(index_dir)) + 1:].split("/")[0])
    return held


def hammer(server: Server, path: str, n: int = 48, clients: int = 8) -> list[bytes]:
    """n requests from concurrent clients, each on a new connection (so they spread over the workers)."""
    bodies: list[bytes] = []

    def client():
        for _ in range(n // clients):
            with urllib.request.urlopen(server.url + quote(path), timeout=30) as response:
                bodies.append(response.read())

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return bodies


def test_two_gunicorn_workers_serve_the_single_processs_pages_and_follow_a_new_generation(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    build(corpus, index_dir, workers=1)
    single = Server(index_dir)
    several = Server(index_dir, "--workers", "2", "--threads", "1")
    try:
        assert len(several.wait_children(2)) == 2
        for path in PAGES:
            assert several.page(path) == single.page(path), path
        before = single.page("/search.json?q=执法监督")
        bodies = hammer(several, "/search.json?q=执法监督")
        assert set(bodies) == {before}
        assert [index_files_open(pid, index_dir) for pid in several.children()] == [{"gen-000001"}] * 2

        modify(corpus)
        add(corpus)  # a new report holding 执法监督: the page changes (the edit lands in the page footer)
        build(corpus, index_dir, workers=1)
        time.sleep(REFRESH_SECONDS + 0.5)
        after = single.page("/search.json?q=执法监督")
        assert after != before
        bodies = hammer(several, "/search.json?q=执法监督")
        assert set(bodies) == {after}
        assert [index_files_open(pid, index_dir) for pid in several.children()] == [{"gen-000002"}] * 2
    finally:
        single.stop()
        out = several.stop()
    assert out.splitlines()[0].endswith(f"(index: {index_dir})  2 processes")
