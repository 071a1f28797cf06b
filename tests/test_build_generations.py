"""Index generations (indexer.build.generations): an incremental generation links the live one's files and
never changes them, old generations and a killed build's leftovers go, and the swap is atomic: a build
SIGKILLed at any moment leaves the old index or the new one, and searches during rebuilds all succeed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading

import pytest
from whoosh.query import Term

from build_helpers import (add, delete, fresh_docs, kill, make_corpus, modify, rename, run_build, start_build,
                           stored_docs, wait_paused)
from indexer.build import build
from indexer.build.lock import LOCK_NAME, describe
from search.schema import open_index


def test_incremental_generation_links_and_never_modifies_the_live_one(built):
    corpus, index_dir = built
    live = index_dir / "gen-000001"
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in live.iterdir()}
    add(corpus)
    build(corpus, index_dir, workers=1)
    after = {p.name: (p.stat().st_ino, p.read_bytes()) for p in live.iterdir()}
    linked = {p.name for p in (index_dir / "gen-000002").iterdir() if p.name in before
              and p.stat().st_ino == before[p.name][0]}
    segments = {n for n in before if n.startswith("MAIN_") and n.endswith(".seg")}
    grams = {n for n in before if n.startswith("MAIN_") and n.endswith(".grams")}
    prints = {n for n in before if n.startswith("MAIN_") and n.endswith(".prints")}
    words = {n for n in before if n.startswith("MAIN_") and n.endswith(".words")}
    assert before == after
    # only the write-once segment files are shared: Whoosh's, their gram, word and fingerprint files
    assert (1, 1, 1, 1, segments | grams | prints | words) == (len(segments), len(grams), len(prints), len(words),
                                                                linked)


def test_old_generations_and_leftovers_are_removed(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    for change in (None, modify, add, delete):
        if change:
            change(corpus)
        build(corpus, index_dir, workers=1)
    (index_dir / "gen-000009").mkdir()  # what a build killed before its swap leaves
    (index_dir / "gen-000009" / "junk").write_text("x")
    (index_dir / ".tmp-gen-000009").mkdir()
    rename(corpus)
    summary = build(corpus, index_dir, workers=1)
    assert "gen-000005" == summary.generation
    assert ["CURRENT", LOCK_NAME, "gen-000004", "gen-000005"] == sorted(os.listdir(index_dir))


# ---------------------------------------------------------------------------------------------------------
# Real interruptions: a build in a subprocess, SIGKILLed.


@pytest.fixture
def two_states(built, tmp_path):
    """An index of corpus state A, the corpus changed to state B, and both states' documents."""
    corpus, index_dir = built
    docs_a = stored_docs(index_dir)
    for change in (modify, add, delete, rename):
        change(corpus)
    docs_b = fresh_docs(corpus, tmp_path)
    return corpus, index_dir, docs_a, docs_b


def assert_recovers(corpus, index_dir, proc, docs_b):
    record = json.loads((index_dir / LOCK_NAME).read_text())
    summary = build(corpus, index_dir, workers=1)
    assert (proc.pid, [f"the previous build ({describe(record)}) was interrupted; cleaned up"]) == (
        record["pid"], summary.notes)
    assert docs_b == stored_docs(index_dir)
    assert [] == [n for n in os.listdir(index_dir) if n.startswith(".tmp")]


@pytest.mark.parametrize(
    "point,state",
    [
        ("swap", "A"),
        pytest.param("locked", "A", marks=pytest.mark.slow),
        pytest.param("seeded", "A", marks=pytest.mark.slow),
        pytest.param("indexed", "A", marks=pytest.mark.slow),
        pytest.param("swapped", "B", marks=pytest.mark.slow),
    ],
)
def test_killed_at_a_named_point(two_states, point, state):
    corpus, index_dir, docs_a, docs_b = two_states
    proc = start_build(corpus, index_dir, point, "--workers", "1")
    wait_paused(proc, point)
    kill(proc)
    assert {"A": docs_a, "B": docs_b}[state] == stored_docs(index_dir)
    assert_recovers(corpus, index_dir, proc, docs_b)


@pytest.fixture(scope="module")
def sixty(tmp_path_factory):
    """State A: 20 files indexed; state B: 60 files (40 new, 1 changed); both states' documents."""
    root = tmp_path_factory.mktemp("sixty")
    corpus_a, index_a = make_corpus(root / "corpus-a", copies=4), root / "index-a"
    build(corpus_a, index_a, workers=2)
    corpus_b = root / "corpus-b"
    shutil.copytree(corpus_a, corpus_b)  # mtimes kept: the 20 files stay unchanged for index A
    make_corpus(corpus_b, copies=12)
    modify(corpus_b)
    return corpus_b, index_a, stored_docs(index_a), fresh_docs(corpus_b, root)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.2, 0.5, 1.0, 2.0, 4.0])
@pytest.mark.parametrize("rebuild", [False, True])
def test_killed_after_a_delay(sixty, tmp_path, delay, rebuild):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(sixty[0], corpus)
    shutil.copytree(sixty[1], index_dir)
    docs_a, docs_b = sixty[2], sixty[3]
    proc = start_build(corpus, index_dir, "", "--workers", "2", *(["--rebuild"] if rebuild else []))
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        pass
    kill(proc)
    assert stored_docs(index_dir) in (docs_a, docs_b)
    assert 0 == build(corpus, index_dir, workers=2).exit_code
    assert docs_b == stored_docs(index_dir)


# ---------------------------------------------------------------------------------------------------------
# Readers during rebuilds


def test_searches_during_rebuilds_all_succeed(built):
    """Searches in threads, as a server runs them (raw Whoosh per search, and one shared search.engine.Engine),
    while --rebuild runs twice in another process: every search answers, and answers the same."""
    from search.engine import Engine, SearchRequest

    corpus, index_dir = built
    rids = sorted(p.name for p in corpus.iterdir())
    ix = open_index(index_dir)
    with ix.searcher() as s:
        expected = {rid: len(s.search(Term("report_id", rid), limit=None)) for rid in rids}
    ix.close()
    engine = Engine(index_dir)
    expected_total = engine.search(SearchRequest(q="执法")).total
    done, errors, answers = threading.Event(), [], []

    def raw_search(i: int) -> bool:
        rid = rids[i % len(rids)]
        ix = open_index(index_dir)
        try:
            with ix.searcher() as s:
                return expected[rid] == len(s.search(Term("report_id", rid), limit=None))
        finally:
            ix.close()

    def engine_search(i: int) -> bool:
        return expected_total == engine.search(SearchRequest(q="执法")).total

    def loop(search, offset: int) -> None:
        i = offset
        while not done.is_set():
            try:
                answers.append(search(i))
            except Exception as e:  # collected, then asserted empty: the point of the test
                errors.append(repr(e))
            i += 1
            done.wait(0.01)

    threads = [threading.Thread(target=loop, args=(f, k)) for k, f in enumerate([raw_search, raw_search,
                                                                                 engine_search, engine_search])]
    for t in threads:
        t.start()
    try:
        runs = [run_build(corpus, index_dir, "--rebuild", "--workers", "1") for _ in range(2)]
        done.wait(1.5)  # let the engine notice the last swap
    finally:
        done.set()
        for t in threads:
            t.join()
    generation = engine.state().generation
    engine.state().close()
    assert ([(0, ""), (0, "")], [], True, "gen-000003", "gen-000003") == (
        [(r.returncode, r.stderr) for r in runs], errors, all(answers) and len(answers) > 0,
        (index_dir / "CURRENT").read_text().strip(), generation)
