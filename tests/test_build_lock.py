"""The builder lock (indexer.build.lock): a second build waits, then exits 3 naming the holder; the lock of a
SIGKILLed build does not block the next one, which says the previous build was interrupted."""

from __future__ import annotations

import os

from click.testing import CliRunner

from build_helpers import kill, make_corpus, run_build, start_build, stored_docs, wait_paused
from indexer.build.lock import BuildLock
from indexer.cli import main


def test_second_build_waits_then_exits_3(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    with BuildLock(index_dir):
        result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir), "--wait", "0.3"])
    assert 3 == result.exit_code
    assert f"another build is running (pid {os.getpid()}" in result.stderr
    assert ["build.lock"] == os.listdir(index_dir)


def test_lock_of_a_running_build_then_of_a_killed_one(seed_build, tmp_path):
    """Two processes: while one build holds the lock a second exits 3; once it is SIGKILLed, the next runs."""
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    proc = start_build(corpus, index_dir, "locked")
    wait_paused(proc, "locked")
    busy = run_build(corpus, index_dir, "--wait", "0.3")
    kill(proc)
    result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir), "--wait", "0",
                                       "--workers", "1"])
    assert (3, True) == (busy.returncode, f"another build is running (pid {proc.pid} on " in busy.stderr)
    assert (0, True) == (result.exit_code, f"note: the previous build (pid {proc.pid} on " in result.stderr)
    assert stored_docs(seed_build[1]) == stored_docs(index_dir)
