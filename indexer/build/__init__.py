"""Indexer stage 3 (build): corpus files → a new index generation, swapped in atomically.

``build(corpus, index_dir)`` is the library behind ``reports-index build``:

1. take the builder lock (``lock``); clear what a killed build left behind;
2. compare the corpus with the live generation's manifest (``manifest``): files to parse, files
   unchanged, files removed; a no-op stops here without touching the index (but for the column file of
   ``search.columnfile``, a cache written through a rename, when the code that computes it changed);
3. make a new generation (``generations``): hard links to the live one (incremental) or empty
   (``rebuild``); delete the reports that changed or vanished; parse and index the new and changed files,
   in worker processes that each write one segment (``parallel``, ``worker``) or as tasks on a Dask cluster
   (``cluster``, the same worker code); one commit
   lists the surviving and the new segments (segments the commit merges get their gram files: ``gramfiles``);
4. write the manifest, flush everything to disk, point CURRENT at the new generation, drop old generations.

Until step 4's swap the live index is untouched, so a build killed at any moment leaves a working index: the
old one before the swap, the new one after it. ``stats`` reads what the last build left, for
``reports-index stats``.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from whoosh.writing import MERGE_SMALL

from indexer.build import generations as gens
from indexer.build import manifest as mf
from indexer.build.cluster import ClusterError, ClusterInfo, index_on_cluster, parse_address
from indexer.build.gramfiles import backfill, refresh_columns
from indexer.build.lock import BuildLock, describe
from indexer.build.parallel import adopt, index_in_parallel
from indexer.build.worker import FileResult, IndexingFailed, Part, cpu_count, init_worker, parse_one

PAUSE_ENV = "REPORTS_INDEX_TEST_PAUSE"  # test seam: "point" or "point:seconds", see ``_pause``


class BuildError(Exception):
    """A build that cannot go on (bad corpus, incompatible index…); the live index is unchanged."""


@dataclass
class BuildSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (report id, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (report id, reason): files no reader takes
    parsed: int = 0  # files handed to the parser
    bytes_parsed: int = 0
    seconds: float = 0.0
    generation: str | None = None  # the live generation after the build
    changed: bool = False  # whether a new generation was swapped in
    rebuilt: bool = False
    notes: list[str] = field(default_factory=list)
    cluster: ClusterInfo | None = None  # the Dask cluster that did the work (``--cluster``)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        mb = self.bytes_parsed / 1e6
        rate = mb / self.seconds if self.seconds > 0 else 0.0
        line = (
            f"added {self.added}, updated {self.updated}, removed {self.removed}, unchanged {self.unchanged}, "
            f"failed {len(self.failed)} in {self.seconds:.1f} s ({mb:.2f} MB parsed, {rate:.2f} MB/s)"
        )
        return f"{line} on {self.cluster.describe()}" if self.cluster else line

    def skipped_line(self) -> str | None:
        """``skipped: 2 .wps, 1 .md``: the files passed over, counted by type (None when there are none)."""
        if not self.skipped:
            return None
        counts = Counter(PurePosixPath(rid).suffix.lower() or "(no suffix)" for rid, _ in self.skipped)
        return "skipped: " + ", ".join(f"{n} {suffix}" for suffix, n in sorted(counts.items(), key=lambda c: (-c[1], c[0])))

    @property
    def nothing_indexed(self) -> bool:
        """Every file the build found failed: the index is empty."""
        return bool(self.failed) and self.added + self.updated + self.unchanged == 0

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": [{"file": f, "reason": r} for f, r in self.failed],
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "parsed": self.parsed,
            "bytes_parsed": self.bytes_parsed,
            "seconds": round(self.seconds, 3),
            "generation": self.generation,
            "changed": self.changed,
            "rebuilt": self.rebuilt,
            "notes": self.notes,
            "cluster": self.cluster.to_dict() if self.cluster else None,
        }


def build(
    corpus: str | os.PathLike,
    index_dir: str | os.PathLike,
    *,
    rebuild: bool = False,
    workers: int | None = None,
    wait: float = 10.0,
    progress: bool = False,
    cluster: str | None = None,
) -> BuildSummary:
    """Bring the index at ``index_dir`` up to date with the files under ``corpus``.

    ``cluster`` (a Dask scheduler address or ``local:N``) runs the parsing and indexing there instead of in
    ``workers`` local processes.

    Raises ``BuildError`` (nothing changed) or ``indexer.build.lock.LockTimeout`` (another build runs).
    """
    started = time.monotonic()
    corpus, index_dir = Path(corpus).resolve(), Path(index_dir).absolute()
    if not corpus.is_dir():
        raise BuildError(f"corpus folder not found: {corpus}")
    if workers is not None and workers < 1:
        raise BuildError("--workers must be at least 1")
    if cluster is not None and workers is not None:
        raise BuildError("--workers and --cluster exclude each other (local:N runs N processes on this machine)")
    if cluster is not None:
        try:
            parse_address(cluster)
        except ClusterError as e:
            raise BuildError(str(e)) from None
    index_dir.mkdir(parents=True, exist_ok=True)
    with BuildLock(index_dir, wait=wait) as lock:
        summary = BuildSummary(rebuilt=rebuild)
        if lock.interrupted:
            summary.notes.append(f"the previous build ({describe(lock.interrupted)}) was interrupted; cleaned up")
        gens.clean_up(index_dir)
        _pause("locked")
        _run(corpus, index_dir, summary, rebuild, cluster or workers or cpu_count(), progress)
    summary.seconds = time.monotonic() - started
    return summary


def _run(corpus: Path, index_dir: Path, summary: BuildSummary, rebuild: bool, workers: int | str, progress: bool):
    """``workers``: a number of local processes, or a cluster address (str)."""
    from search.schema import FORMAT_VERSION

    live = gens.read_current(index_dir)
    code = mf.code_fingerprint()
    previous = None
    if live and not rebuild:
        _check_format(index_dir)
        previous = mf.load(index_dir / live)
        if previous is None:
            summary.notes.append(f"{live} has no manifest: indexing every file again")
            summary.rebuilt = True
        elif previous.format_version != FORMAT_VERSION:
            raise BuildError(
                f"the index at {index_dir} has format {previous.format_version}, this version writes "
                f"{FORMAT_VERSION}: run `reports-index build --rebuild`"
            )
        elif previous.code != code:
            summary.notes.append("the parser or the analysis changed since the last build: indexing every file again")
            summary.rebuilt, previous = True, None
    plan = mf.plan(corpus, previous)
    summary.notes.extend(metadata_notes(corpus))
    summary.unchanged = len(plan.unchanged)
    summary.skipped = plan.skipped
    summary.generation = live
    if previous is not None and not plan.parse and not plan.removed and not plan.touched:
        refresh_columns(index_dir / live)  # a no-op: the live generation already describes this corpus exactly
        return

    new_name = gens.next_generation(index_dir)
    new_dir = index_dir / new_name
    # Unique per build: a worker orphaned by a killed build can never write into a later build's parts.
    scratch = index_dir / f"{gens.TMP_PREFIX}{new_name}-{os.getpid()}-{time.time_ns()}"
    new_dir.mkdir()
    swapped = False
    try:
        ix = _start_generation(index_dir, live if previous is not None else None, new_dir)
        _pause("seeded")
        old = previous.files if previous else {}
        results = _index(ix, corpus, plan, old, workers, scratch, progress, new_dir, summary)
        manifest = mf.Manifest(str(corpus), _now(), FORMAT_VERSION, dict(plan.unchanged), code)
        _tally(summary, plan, old, results, manifest)
        mf.save(new_dir, manifest)
        gens.fsync_tree(new_dir)
        _pause("swap")
        gens.swap_current(index_dir, new_name)
        swapped = True
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if not swapped:  # a build that failed leaves no half-built generation behind
            shutil.rmtree(new_dir, ignore_errors=True)
    summary.generation, summary.changed = new_name, True
    _pause("swapped")
    gens.clean_up(index_dir)


def metadata_notes(corpus: Path) -> list[str]:
    """The malformed rows of the corpus's ``metadata.csv`` files (ignored, never fatal)."""
    from indexer.parse import metafile

    notes = []
    # os.walk, not Path.rglob: a tenth of the time over a flat folder of 10,000 reports (part of every no-op build)
    folders = sorted(Path(d) for d, _, names in os.walk(corpus) if metafile.FILE_NAME in names)
    for folder in folders:
        if meta := metafile.load(folder):
            notes += [m.replace(str(corpus) + os.sep, "") for m in meta.messages()]
    return notes


def _check_format(index_dir: Path) -> None:
    from search.schema import IndexFormatError, open_index

    try:
        open_index(index_dir).close()
    except IndexFormatError as e:
        raise BuildError(str(e)) from None  # it says to run --rebuild


def _start_generation(index_dir: Path, live: str | None, new_dir: Path):
    """An index in the empty ``new_dir``: linked from ``live``, or a fresh one."""
    from search.schema import create_index, open_index

    if live is None:
        return create_index(new_dir)
    gens.seed_from(index_dir / live, new_dir, skip={mf.MANIFEST})
    return open_index(new_dir)


def _index(ix, corpus, plan, old, workers, scratch, progress, gen_dir, summary) -> list[FileResult]:
    """Parse the new and changed files into segments (here, in worker processes or on a Dask cluster), then
    delete stale reports and add the segments in one commit. Returns the per-file results. Nothing to delete
    and no segment (an empty corpus, or every file failed) opens no writer: the generation stays the empty
    index it was made as, or the live one's copy."""
    results: list[FileResult] = []
    bar = _progress_bar(len(plan.parse), progress)

    def on_files(done: list[FileResult]) -> None:
        results.extend(done)
        bar.update(len(done))

    def on_batch(done: int, total: int) -> None:
        bar.set_postfix_str(f"batches {done}/{total}")

    rids = [f.rid for f in plan.parse]
    try:
        if isinstance(workers, str):  # a cluster address
            parts, summary.cluster = (index_on_cluster(workers, corpus, rids, plan.hashes, scratch, on_files,
                                                       on_batch) if rids else ([], summary.cluster))
        else:
            parts = _parse(corpus, rids, workers, scratch, on_files)
    except (IndexingFailed, ClusterError) as e:
        raise BuildError(str(e)) from None
    segments = adopt(parts, gen_dir)
    bar.close()
    _pause("indexed")
    stale = [rid for rid in sorted({f.rid for f in plan.parse} | set(plan.removed)) if rid in old]
    if not stale and not segments:
        return results
    from search.schema import writer as new_writer

    writer = new_writer(ix)
    try:
        for rid in stale:
            writer.delete_by_term("report_id", rid)
    except BaseException:
        writer.cancel()
        raise
    # The parts' segments join the generation in this one commit (a merge policy may add segments).
    writer.commit(mergetype=lambda w, existing: MERGE_SMALL(w, existing) + segments)
    backfill(gen_dir)  # gram files of segments the merge policy made
    return results


def _parse(corpus, rids, workers, scratch, on_files) -> list[str]:
    """Parse ``rids`` into committed part indexes under ``scratch`` (worker processes, or this one);
    returns their folders."""
    if workers > 1 and len(rids) > 1:
        return index_in_parallel(corpus, rids, workers, scratch, on_files)
    if not rids:
        return []
    init_worker()  # in this process, into a part like a worker's
    scratch.mkdir(parents=True, exist_ok=True)
    part = Part(scratch / "part-0")
    try:
        for rid in rids:
            result, docs = parse_one(str(corpus), rid)
            part.add(rid, docs)
            on_files([result])
        part.commit()
    except BaseException:
        part.cancel()
        raise
    return [str(part.dir)]


def _tally(summary: BuildSummary, plan: mf.Plan, old: dict, results: list[FileResult], manifest: mf.Manifest):
    by_rid = plan.by_rid
    for r in results:
        summary.parsed += 1
        summary.bytes_parsed += r.size
        found_hash = plan.hashes.get(r.rid, "")
        entry = old.get(r.rid)
        found = by_rid[r.rid]
        size, mtime = found.size, found.mtime_ns
        if r.ok:
            if entry is not None and entry.status == "ok":
                summary.updated += 1
            else:
                summary.added += 1
            manifest.files[r.rid] = mf.Entry(size, mtime, found_hash, "ok", None, r.report)
        else:
            where = f" (on worker {r.host})" if r.host else ""
            summary.failed.append((r.rid, (r.error or "unknown error") + where))
            manifest.files[r.rid] = mf.Entry(size, mtime, found_hash, "failed", r.error, None)
    summary.removed = sum(1 for rid in plan.removed if old[rid].status == "ok")


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="indexing", unit="file", disable=not enabled or total == 0, file=sys.stderr,
                leave=False)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _pause(point: str) -> None:
    """Test seam: with ``REPORTS_INDEX_TEST_PAUSE=point[:seconds]`` the build announces the point on stderr
    and sleeps there (default 60 s), so a test can SIGKILL it at exactly that moment."""
    wanted = os.environ.get(PAUSE_ENV, "")
    name, _, seconds = wanted.partition(":")
    if name == point:
        print(f"PAUSED {point}", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 60))
