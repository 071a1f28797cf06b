"""Benchmark tools: wall time and peak memory of a command's whole process tree, percentiles, sizes on disk.

Memory is the peak of the summed RSS of a process and all its descendants (a parallel build counts its
workers), sampled from /proc every 0.1 s: a short spike between samples can be missed.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _ppids() -> dict[int, int]:
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            out[int(name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return out


def tree_rss(pid: int) -> int:
    """Summed resident memory (bytes) of pid and its descendants."""
    ppids = _ppids()
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        kids = [p for p, pp in ppids.items() if pp == parent and p not in tree]
        tree.update(kids)
        frontier += kids
    total = 0
    for p in tree:
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


class PeakSampler:
    """Samples tree_rss(pid) in a thread until stopped; .peak is the largest sample (bytes)."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    returncode: int
    stdout: str
    stderr: str


def run_measured(cmd: list[str], env: dict | None = None, timeout: float | None = None) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with PeakSampler(proc.pid) as sampler:
        out, err = proc.communicate(timeout=timeout)
    return Run(time.perf_counter() - start, sampler.peak, proc.returncode, out, err)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def disk_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
