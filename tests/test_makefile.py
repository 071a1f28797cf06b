"""The Makefile: `make run` takes the corpus, the index folder and the port (CORPUS=, INDEX=, PORT=)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def dry_run(*assignments: str) -> list[str]:
    """The commands `make run` would run (make -n), from the `index` target on."""
    done = subprocess.run(["make", "-n", "--no-print-directory", "-C", str(ROOT), "run", *assignments],
                          capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    return [line.strip() for line in lines[next(i for i, line in enumerate(lines) if "reports-index build" in line):]]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("assignments, corpus, index, port", [
    ((), "corpus", "index", "5000"),
    (("PORT=5055", "INDEX=/tmp/my index", "CORPUS=/tmp/my reports"), "/tmp/my reports", "/tmp/my index", "5055"),
    (("INDEX_DIR=elsewhere",), "corpus", "elsewhere", "5000"),
])
def test_make_run_takes_corpus_index_and_port(assignments, corpus, index, port):
    lines = dry_run(*assignments)
    assert (f'.venv/bin/reports-index build "{corpus}" --index-dir "{index}" || case $? in \\',
            f'.venv/bin/reports-web --index-dir "{index}" --host 127.0.0.1 --port {port}') == (lines[0], lines[-1])
