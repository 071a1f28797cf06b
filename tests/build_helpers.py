"""Test helpers for the build side (``tests/test_build*.py``): writable copies of the seeds, the ways a test
changes a corpus, an index's stored documents, and builds in a subprocess that a test can pause and SIGKILL.

"Equal" indexes always means the same multiset of stored Whoosh documents (``stored_docs``) as a
from-scratch build of the same corpus (``fresh_docs``). The fixtures ``seed_build`` and ``built`` are in
``conftest.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS
from indexer.build import PAUSE_ENV, build
from search.schema import StoredReports, open_index


SEEDS = sorted(CORPUS.glob("*.txt"))


def make_corpus(path: Path, copies: int = 1) -> Path:
    """Writable copies of the seeds; copy k > 0 is named ``<seed stem>_k.txt``."""
    path.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for seed in SEEDS:
            name = seed.name if k == 0 else f"{seed.stem}_{k}.txt"
            (path / name).write_bytes(seed.read_bytes())
    return path


def stored_reports(searcher) -> list[list[dict]]:
    """Every live report's documents' stored fields, in docnum order of their heads."""
    read = StoredReports(searcher)
    return [docs for docs in map(read, searcher.reader().all_doc_ids()) if docs]


def stored_docs(index_dir: Path) -> list[str]:
    """The index's documents' stored fields (``search.schema.StoredReports``: each report's on its head) as a
    sorted list of JSON strings: order-free, duplicates kept."""
    ix = open_index(index_dir)
    try:
        with ix.searcher() as s:
            docs = [d for f in stored_reports(s) for d in f]
            return sorted(json.dumps(d, sort_keys=True, ensure_ascii=False, default=str) for d in docs)
    finally:
        ix.close()


def fresh_docs(corpus: Path, tmp_path: Path) -> list[str]:
    index_dir = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    build(corpus, index_dir, workers=1)
    return stored_docs(index_dir)


def modify(corpus: Path) -> None:
    p = corpus / SEEDS[0].name
    p.write_text(p.read_text(encoding="utf-8") + "\n五、新增一段关于执法监督的内容。\n", encoding="utf-8")


def add(corpus: Path) -> None:
    (corpus / "sub").mkdir(exist_ok=True)
    (corpus / "sub" / "added.txt").write_bytes(SEEDS[1].read_bytes())


def delete(corpus: Path) -> None:
    (corpus / SEEDS[2].name).unlink()


def rename(corpus: Path) -> None:
    (corpus / SEEDS[3].name).rename(corpus / "renamed.txt")


def start_build(corpus: Path, index_dir: Path, pause: str = "", *args: str) -> subprocess.Popen:
    env = dict(os.environ, **{PAUSE_ENV: pause})
    cmd = [sys.executable, "-m", "indexer.cli", "build", str(corpus), "--index-dir", str(index_dir), "--quiet",
           *args]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_build(corpus: Path, index_dir: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "indexer.cli", "build", str(corpus), "--index-dir", str(index_dir), "--quiet",
           *args]
    return subprocess.run(cmd, capture_output=True, text=True)


def wait_paused(proc: subprocess.Popen, point: str) -> None:
    for line in proc.stderr:
        if line.strip() == f"PAUSED {point}":
            return
    pytest.fail(f"build ended (rc {proc.wait()}) before reaching {point}: {proc.stdout.read()}")


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()
