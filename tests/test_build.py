"""Index builder (indexer.build): incremental correctness, failures, generations, lock, interruption, concurrency.

Every test builds real indexes from copies of the seed reports in tmp_path; "equal" always means the same
multiset of stored Whoosh documents as a from-scratch build of the same corpus.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh.query import Term

from indexer import manifest as mf
from indexer.build import PAUSE_ENV, BuildError, build
from indexer.cli import main
from indexer.lock import LOCK_NAME, BuildLock, describe
from indexer.readers import ReadError, read_file
from search.schema import open_index

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt"))


def make_corpus(path: Path, copies: int = 1) -> Path:
    """Writable copies of the seeds; copy k > 0 is named ``<seed stem>_k.txt``."""
    path.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for seed in SEEDS:
            name = seed.name if k == 0 else f"{seed.stem}_{k}.txt"
            (path / name).write_bytes(seed.read_bytes())
    return path


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seeds indexed once per session; ``built`` copies it for a test to change."""
    root = tmp_path_factory.mktemp("seed-build")
    corpus, index_dir = make_corpus(root / "corpus"), root / "index"
    build(corpus, index_dir, workers=1)
    return corpus, index_dir


@pytest.fixture
def built(seed_build, tmp_path):
    """(corpus, index_dir): a writable copy of the seeds and of their index (mtimes kept: nothing to redo)."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(seed_build[0], corpus)
    shutil.copytree(seed_build[1], index_dir)
    return corpus, index_dir


def stored_docs(index_dir: Path) -> list[str]:
    """The index's documents as a sorted list of JSON strings: order-free, duplicates kept."""
    ix = open_index(index_dir)
    try:
        with ix.searcher() as s:
            docs = s.all_stored_fields()
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


# (change, workers, expected (added, updated, removed, unchanged))
CHANGES = [
    ("modify", [modify], 1, (0, 1, 0, 4)),
    ("add", [add], 1, (1, 0, 0, 5)),
    ("delete", [delete], 1, (0, 0, 1, 4)),
    ("rename", [rename], 1, (1, 0, 1, 4)),
    ("all", [modify, add, delete, rename], 1, (2, 1, 2, 2)),
    ("all-2-workers", [modify, add, delete, rename], 2, (2, 1, 2, 2)),
]


@pytest.mark.parametrize("name,changes,workers,expected", CHANGES, ids=[c[0] for c in CHANGES])
def test_incremental_equals_rebuild(built, tmp_path, name, changes, workers, expected):
    corpus, index_dir = built
    for change in changes:
        change(corpus)
    summary = build(corpus, index_dir, workers=workers)
    assert expected == (summary.added, summary.updated, summary.removed, summary.unchanged)
    assert fresh_docs(corpus, tmp_path) == stored_docs(index_dir)


QUERIES = ["执法", "行政复议", "法治 -复议", "执法监督", "公安局", "警", "2021"]


def by_index(section: dict) -> int:
    return section["index"]


def search_view(index_dir: Path, q: str) -> dict:
    """What a user sees of a search, without scores (term statistics count deleted documents until a merge)."""
    from search.engine import Engine, SearchRequest

    engine = Engine(index_dir)
    try:
        result = engine.search(SearchRequest(q=q, limit=100)).to_dict()
    finally:
        engine.state().close()  # Engine has no close(): it lives as long as its process
    hits = {h["file"]: [(s["heading"], s["matches"], s["snippets"]) for s in sorted(h["sections"], key=by_index)]
            for h in result["hits"]}
    return {"total": result["total"], "hits": hits, "facets": result["facets"]}


def test_incremental_search_results_equal_rebuild(built, tmp_path):
    corpus, index_dir = built
    for change in (modify, add, delete, rename):
        change(corpus)
    build(corpus, index_dir, workers=2)
    fresh = tmp_path / "fresh"
    build(corpus, fresh, workers=1)
    assert [search_view(fresh, q) for q in QUERIES] == [search_view(index_dir, q) for q in QUERIES]


def test_no_op_build_parses_nothing(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    first = build(corpus, index_dir, workers=1)
    before = stored_docs(index_dir)
    again = build(corpus, index_dir, workers=1)
    assert (5, 5, "gen-000001", True) == (first.parsed, first.added, first.generation, first.changed)
    assert (0, 5, "gen-000001", False) == (again.parsed, again.unchanged, again.generation, again.changed)
    assert before == stored_docs(index_dir)


def test_touched_file_is_hashed_not_parsed(built):
    corpus, index_dir = built
    path = corpus / SEEDS[0].name
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    touched = build(corpus, index_dir, workers=1)
    entry = mf.load(index_dir / touched.generation).files[SEEDS[0].name]
    assert (0, 5, path.stat().st_mtime_ns) == (touched.parsed, touched.unchanged, entry.mtime_ns)
    assert 0 == build(corpus, index_dir, workers=1).parsed


def test_rebuild_reindexes_everything(built):
    corpus, index_dir = built
    before = stored_docs(index_dir)
    summary = build(corpus, index_dir, workers=1, rebuild=True)
    assert (5, 5, 0, "gen-000002") == (summary.parsed, summary.added, summary.unchanged, summary.generation)
    assert before == stored_docs(index_dir)


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
    assert before == after
    # only the write-once segment files are shared: Whoosh's and their gram files
    assert (1, 1, segments | grams) == (len(segments), len(grams), linked)


@pytest.mark.parametrize(
    "name,indexed",
    [
        ("a.txt", True),
        ("b.HTML", True),
        ("c.htm", True),
        ("d.docx", True),
        ("e.pdf", True),
        ("sub/dir/f.txt", True),
        ("g.doc", False),
        ("h.md", False),
        (".hidden.txt", False),
        (".git/i.txt", False),
        ("~$j.docx", False),
        ("k", False),
    ],
)
def test_discover_picks_report_files(tmp_path, name, indexed):
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_bytes(b"x")
    assert ([name] if indexed else []) == [f.rid for f in mf.discover(tmp_path)]


BAD_FILES = [
    ("empty.txt", b""),
    ("blank.txt", b"  \n\n \t\n"),
    ("binary.txt", bytes(range(256)) * 8),
    ("fake.pdf", b"this is not a pdf"),
    ("fake.docx", b"PK\x03\x04 not really a zip"),
]


def test_bad_files_are_listed_and_the_rest_indexed(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    for name, data in BAD_FILES:
        (corpus / name).write_bytes(data)
    expected = []
    for name, _ in sorted(BAD_FILES):
        with pytest.raises(ReadError) as e:
            read_file(corpus / name)
        expected.append((name, e.value.reason))
    result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir), "--workers", "1"])
    summary = build(corpus, index_dir, workers=1)  # failures are retried on every build
    lines = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert 1 == result.exit_code
    assert [f"failed: {name}: {reason}" for name, reason in expected] == lines
    assert expected == sorted(summary.failed)
    assert 5 == summary.unchanged
    ix = open_index(index_dir)
    with ix.searcher() as s:
        assert sorted(p.name for p in SEEDS) == sorted({d["report_id"] for d in s.all_stored_fields()})
    ix.close()


def test_fixed_file_is_added_on_the_next_build(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    (corpus / "late.txt").write_bytes(b"")
    first = build(corpus, index_dir, workers=1)
    (corpus / "late.txt").write_bytes(SEEDS[4].read_bytes())
    second = build(corpus, index_dir, workers=1)
    assert ([("late.txt", "empty file")], 5) == (first.failed, first.added)
    assert ([], 1, 5) == (second.failed, second.added, second.unchanged)
    assert fresh_docs(corpus, tmp_path) == stored_docs(index_dir)


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


def test_new_parser_code_reparses_every_file(built):
    corpus, index_dir = built
    path = index_dir / "gen-000001" / mf.MANIFEST
    before = stored_docs(index_dir)
    data = json.loads(path.read_bytes())
    data["code"] = "an older parser"
    path.write_text(json.dumps(data))
    summary = build(corpus, index_dir, workers=1)
    expected_note = "the parser or the analysis changed since the last build: indexing every file again"
    assert (5, 5, 0, [expected_note]) == (summary.parsed, summary.added, summary.unchanged, summary.notes)
    assert (before, mf.code_fingerprint()) == (stored_docs(index_dir), mf.load(index_dir / "gen-000002").code)
    assert 0 == build(corpus, index_dir, workers=1).parsed


def test_code_files_are_the_readers_the_parser_their_model_and_data_and_the_analysis():
    import indexer

    package = Path(indexer.__file__).parent
    names = list(mf.code_files())
    assert ["indexer", "indexer/data", "indexer/parse", "indexer/readers", "search"] == sorted(
        {name.rsplit("/", 1)[0] for name in names})
    assert ["indexer/model.py"] == [name for name in names if name.startswith("indexer/") and name.count("/") == 1]
    assert ["search/analysis.py", "search/schema.py"] == [name for name in names if name.startswith("search/")]
    assert sorted(names) == names
    for folder in ("readers", "parse", "data"):
        assert {f"indexer/{folder}/{p.name}" for p in (package / folder).iterdir() if p.is_file()} <= set(names)


def test_code_files_count_any_new_file_but_not_byte_code_or_hidden_files(tmp_path):
    (tmp_path / "sub" / "__pycache__").mkdir(parents=True)
    (tmp_path / "sub" / "__pycache__" / "new.cpython-311.pyc").write_bytes(b"\0")
    for name in ("new.py", "sub/words.json", ".new.py.swp"):
        (tmp_path / name).write_text("x")
    assert [tmp_path / "new.py", tmp_path / "sub" / "words.json"] == sorted(mf._files_under(tmp_path))


@pytest.mark.parametrize("marker", [mf.MANIFEST, "reports_format.json"])  # ours, and search.schema's
def test_incompatible_format_asks_for_rebuild(built, marker):
    corpus, index_dir = built
    path = index_dir / "gen-000001" / marker
    data = json.loads(path.read_bytes())
    data["format_version"] = -1
    path.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir)])
    assert (2, "gen-000001", True) == (result.exit_code, (index_dir / "CURRENT").read_text().strip(),
                                       "--rebuild" in result.stderr)
    rebuilt = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir), "--rebuild",
                                        "--workers", "1"])
    assert (0, "gen-000002") == (rebuilt.exit_code, (index_dir / "CURRENT").read_text().strip())


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["build", "{tmp}/missing"], 2, "corpus folder not found"),
        (["build", "{tmp}/corpus", "--workers", "0"], 2, "--workers"),
        (["stats"], 2, "reports-index build"),
    ],
)
def test_fatal_errors_exit_2(tmp_path, args, code, message):
    make_corpus(tmp_path / "corpus")
    args = [a.format(tmp=tmp_path) for a in args] + ["--index-dir", str(tmp_path / "index")]
    result = CliRunner().invoke(main, args)
    assert (code, True) == (result.exit_code, message in result.stderr)


def test_second_build_waits_then_exits_3(tmp_path):
    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    with BuildLock(index_dir):
        result = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(index_dir), "--wait", "0.3"])
    assert 3 == result.exit_code
    assert f"another build is running (pid {os.getpid()}" in result.stderr
    assert ["build.lock"] == os.listdir(index_dir)


def test_help_documents_exit_codes():
    result = CliRunner().invoke(main, ["build", "--help"])
    codes = [line.split()[0] for line in result.output.split("Exit codes:")[1].splitlines()[1:5]]
    assert ["0", "1", "2", "3"] == codes


def test_stats_json(tmp_path):
    from indexer.parse import parse_file
    from search.schema import FORMAT_VERSION, section_documents

    corpus, index_dir = make_corpus(tmp_path / "corpus"), tmp_path / "index"
    (corpus / "empty.txt").write_bytes(b"")
    build(corpus, index_dir, workers=1)
    reports = [parse_file(p, root=corpus).to_dict() for p in sorted(corpus.glob("0*.txt"))]
    result = CliRunner().invoke(main, ["stats", "--index-dir", str(index_dir), "--json"])
    data = json.loads(result.output)

    def counts(values, key=None):
        tally = {}
        for v in values:
            tally[v] = tally.get(v, 0) + 1
        order = sorted(tally, key=key or (lambda v: (v is None, -tally[v], str(v))))
        return [{"value": v, "count": tally[v]} for v in order]

    gen = index_dir / "gen-000001"
    expected = {
        "index_dir": str(index_dir),
        "generation": "gen-000001",
        "format_version": FORMAT_VERSION,
        "corpus": str(corpus.resolve()),
        "built_at": mf.load(gen).built_at,
        "reports": 5,
        "sections": sum(len(r["sections"]) for r in reports),
        "documents": sum(len(section_documents(r)) for r in reports),
        "size_bytes": sum(p.stat().st_size for p in gen.iterdir()),
        "per_year": counts((r["year"] for r in reports), key=lambda v: (v is None, v or 0)),
        "per_province": counts(r["province"] for r in reports),
        "per_city": counts(r["city"] for r in reports),
        "per_kind": counts(k for r in reports for k in {k for s in r["sections"] for k in s["kinds"]}),
        "failed": [{"file": "empty.txt", "reason": "empty file"}],
    }
    assert (0, expected) == (result.exit_code, data)


# ---------------------------------------------------------------------------------------------------------
# Real interruptions: a build in a subprocess, SIGKILLed.


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


def test_build_error_leaves_the_index_unchanged(built):
    corpus, index_dir = built
    shutil.rmtree(corpus)
    with pytest.raises(BuildError):
        build(corpus, index_dir, workers=1)
    assert "gen-000001\n" == (index_dir / "CURRENT").read_text()


def test_every_segment_has_its_gram_file_after_incremental_builds(built):
    """Each build adds a segment (Whoosh's merge policy may fold small ones together); every segment has
    its gram file, and searches equal those over a fresh build of the same corpus."""
    from search.engine import Engine, SearchRequest
    from search.grams import SUFFIX

    corpus, index_dir = built
    for i in range(6):  # one small segment per build: MERGE_SMALL merges some of them
        (corpus / f"more-{i}.txt").write_bytes(SEEDS[i % len(SEEDS)].read_bytes())
        build(corpus, index_dir, workers=1)
    gen = index_dir / (index_dir / "CURRENT").read_text().strip()
    ix = open_index(index_dir)
    with ix.reader() as reader:
        segments = {sub.segment().segment_id() for sub, _ in reader.leaf_readers()}
    ix.close()
    assert segments == {p.name[: -len(SUFFIX)] for p in gen.iterdir() if p.name.endswith(SUFFIX)}
    fresh = index_dir.parent / "fresh"
    build(corpus, fresh, workers=1)
    for q in ("执法记录仪", "法", "同句(执法 记录)", "标题:报告", "章节:法治"):
        pages = []
        for where in (index_dir, fresh):
            engine = Engine(where)
            result = engine.search(SearchRequest(q=q, limit=100)).to_dict()
            engine.close()
            pages.append(sorted((h["file"], [s["index"] for s in h["sections"]]) for h in result["hits"]))
        assert pages[0] == pages[1], q
        assert pages[0], q
