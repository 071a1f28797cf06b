"""Reliability: a build SIGKILLed at 20 random moments (seeded) on a corpus of 80 files.

State A: 60 files indexed. State B: 5 of them removed, 3 changed, 20 added (75 files). Each trial copies A's
index and B's corpus, starts ``reports-index build`` (incremental, or ``--rebuild`` one time in three) and kills it
after a random delay within an uninterrupted build's duration (measured first; under changing load a few builds
finish first). Then the index must open and answer with a complete state (exactly A's or B's reports and
documents), no stale lock may block the next build (``--wait 0``), and that build must complete with B.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import time
from collections import Counter

import pytest

from indexer.build import build
from build_helpers import kill, start_build, stored_docs
from reliability import cli_build, copy_tree, numbered_corpus, record, report_ids

pytestmark = pytest.mark.slow

TRIALS = 20
SEED = 20261122
FIGURES: Counter = Counter()


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    root = tmp_path_factory.mktemp("kills")
    corpus_a, index_a = numbered_corpus(root / "corpus-a", range(60)), root / "index-a"
    build(corpus_a, index_a, workers=2)
    corpus_b = copy_tree(corpus_a, root / "corpus-b")  # mtimes kept: unchanged files stay unchanged for A
    for k in range(5):
        (corpus_b / f"r{k:03d}.txt").unlink()
    numbered_corpus(corpus_b, range(60, 80))
    numbered_corpus(corpus_b, range(10, 13), changed=frozenset(range(10, 13)))
    durations = {}
    for mode in ("incremental", "rebuild"):  # how long an uninterrupted build takes: the range of kill moments
        index = copy_tree(index_a, root / f"timing-{mode}")
        started = time.monotonic()
        assert 0 == cli_build(corpus_b, index, "--workers", "2", *(["--rebuild"] if mode == "rebuild" else [])
                              ).returncode
        durations[mode] = time.monotonic() - started
    docs_b = stored_docs(index)
    ids_a, ids_b = report_ids(index_a), report_ids(index)
    assert (60, 75) == (len(ids_a), len(ids_b))
    yield {"corpus": corpus_b, "index": index_a, "A": (ids_a, stored_docs(index_a)), "B": (ids_b, docs_b),
           "durations": durations}
    record("kills", {"trials": TRIALS, "seed": SEED, **dict(FIGURES),
                     "build_seconds": {k: round(v, 2) for k, v in durations.items()}})


def moments() -> list[tuple[int, str, float]]:
    """(trial, mode, fraction of the build's duration at which to kill it): fixed by the seed."""
    rnd = random.Random(SEED)
    return [(k, "rebuild" if k % 3 == 2 else "incremental", rnd.uniform(0.0, 1.0)) for k in range(TRIALS)]


@pytest.mark.parametrize("trial,mode,fraction", moments(), ids=[f"{k}-{m}-{f:.2f}" for k, m, f in moments()])
def test_killed_build_leaves_a_complete_state(states, tmp_path, trial, mode, fraction):
    corpus = copy_tree(states["corpus"], tmp_path / "corpus")
    index_dir = copy_tree(states["index"], tmp_path / "index")
    delay = fraction * states["durations"][mode]
    proc = start_build(corpus, index_dir, "", "--workers", "2", *(["--rebuild"] if mode == "rebuild" else []))
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        pass
    finished = proc.returncode is not None
    kill(proc)

    ids, docs = report_ids(index_dir), stored_docs(index_dir)
    state = next((name for name in ("A", "B") if (ids, docs) == states[name]), None)
    assert state in ("A", "B"), f"killed after {delay:.2f} s: {len(ids)} reports, a state that is neither A nor B"
    after = cli_build(corpus, index_dir, "--workers", "2", "--wait", "0")
    assert (0, states["B"]) == (after.returncode, (report_ids(index_dir), stored_docs(index_dir)))
    assert [] == sorted(p.name for p in index_dir.iterdir() if p.name.startswith(".tmp"))
    FIGURES["survived"] += 1
    FIGURES["finished before the kill" if finished else "killed while running"] += 1
    FIGURES[f"state {state} after the kill"] += 1
    shutil.rmtree(tmp_path / "corpus")
