"""Indexer stage 3 (build), the builder lock: one ``reports-index build`` per index directory at a time.

The lock is ``fcntl.flock`` on ``INDEX_DIR/build.lock``. The kernel releases a flock when its holder dies, so a
lock "left" by a killed build is never really held: the next build takes it at once. The file's content (pid,
host, start time, written by the holder and emptied on a clean release) only serves messages: a waiting build
says who holds the lock, and a build that finds content left behind knows the previous build was interrupted.

Whoosh's own WRITELOCK is not used across processes (a killed writer leaves it behind and the next writer gets
``LockError``); every build writes into its own new generation directory instead.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = "build.lock"


class LockTimeout(Exception):
    """Another build holds the lock and did not finish within the wait time."""


class BuildLock:
    """``with BuildLock(index_dir, wait=10):`` holds the builder lock or raises ``LockTimeout``.

    After acquiring, ``interrupted`` holds the record (dict) of a previous build that died holding the lock,
    or None.
    """

    def __init__(self, index_dir: str | os.PathLike, wait: float = 10.0, poll: float = 0.1):
        self.path = Path(index_dir) / LOCK_NAME
        self.wait = wait
        self.poll = poll
        self.fd: int | None = None
        self.interrupted: dict | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_record(fd)
                    os.close(fd)
                    raise LockTimeout(_busy_message(self.path, holder, self.wait)) from None
                time.sleep(self.poll)
        self.fd = fd
        self.interrupted = _read_record(fd)
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)

    def release(self) -> None:
        if self.fd is None:
            return
        os.ftruncate(self.fd, 0)  # empty = the last build finished cleanly
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> "BuildLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_record(fd: int) -> dict | None:
    data = os.pread(fd, 4096, 0)
    if not data.strip():
        return None
    try:
        record = json.loads(data)
    except ValueError:
        return {"raw": data.decode("utf-8", "replace")}
    return record if isinstance(record, dict) else None


def describe(record: dict | None) -> str:
    if not record:
        return "unknown process"
    if "pid" not in record:
        return "unknown process"
    return f"pid {record['pid']} on {record.get('host', '?')}, started {record.get('started', '?')}"


def _busy_message(path: Path, holder: dict | None, wait: float) -> str:
    return (
        f"another build is running ({describe(holder)}); waited {wait:g} s for it. "
        f"Try again when it has finished (lock: {path})."
    )
