"""Helpers of the reliability suite (tests/test_reliability_*.py): the figures it reports, and corpora.

Figures (queries tried, kills survived, files rejected, load latencies) are printed (see them with ``pytest -s``)
and merged into ``tests/artifacts/reliability.json``, one key per test, so a CI log and its artifacts say what
was proven.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
REPORT = ARTIFACTS / "reliability.json"
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
BIN = Path(sys.executable).parent


def record(key: str, figures: dict) -> None:
    """Merge ``figures`` under ``key`` into the reliability report and print them."""
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        data = json.loads(REPORT.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        data = {}
    data[key] = figures
    tmp = REPORT.with_name(f".{REPORT.name}.{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, REPORT)
    print(f"\nreliability {key}: {json.dumps(figures, ensure_ascii=False)}")


def numbered_corpus(path: Path, numbers, changed: frozenset = frozenset()) -> Path:
    """Copies of the seeds named ``r{k:03d}.txt`` for each k in ``numbers`` (seed k % 5); each copy gets its
    own closing line (so copies differ), and a ``changed`` one a second extra line."""
    path.mkdir(parents=True, exist_ok=True)
    for k in numbers:
        text = SEEDS[k % len(SEEDS)].read_text(encoding="utf-8").rstrip("\n")
        text += f"\n附：本报告副本编号 {k}。\n"
        if k in changed:
            text += "补充：本副本已修改，增加一段关于执法监督的说明。\n"
        (path / f"r{k:03d}.txt").write_text(text, encoding="utf-8")
    return path


def report_ids(index_dir: Path) -> set[str]:
    """The report ids an index answers with, read through the search engine (as every reader does)."""
    from search.engine import Engine, SearchRequest

    engine = Engine(index_dir)
    try:
        result = engine.search(SearchRequest(q="", limit=10000, sections=False))
        return {hit["file"] for hit in result.hits}
    finally:
        engine.close()


def cli_build(corpus: Path, index_dir: Path, *args: str, **popen) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "indexer.cli", "build", str(corpus), "--index-dir", str(index_dir), "--quiet", *args]
    return subprocess.run(cmd, capture_output=True, text=True, **popen)


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebServer:
    """A real ``reports-web`` process on a free port of 127.0.0.1."""

    def __init__(self, index_dir: Path, threads: int = 4):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [str(BIN / "reports-web"), "--index-dir", str(index_dir), "--host", "127.0.0.1",
               "--port", str(self.port), "--threads", str(threads)]
        # A file, not a pipe: under load waitress logs a line per queued request, and a pipe nobody reads
        # fills up and blocks the server.
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"reports-web exited with {self.proc.returncode}: {self.close()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.close()
        raise RuntimeError("reports-web did not start listening within 60 s")

    def close(self) -> str:
        """Stop the server; returns what it wrote on stderr (tracebacks would be there)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.seek(0)
        err = self.log.read()
        self.log.close()
        return err
