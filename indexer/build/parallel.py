"""Indexer stage 3 (build), the worker pool: run ``worker`` processes and adopt their segments.

Workers start from a forkserver, not a fork of the builder: the builder may run threads (tqdm's monitor, a
test's searchers), and a forked worker would inherit the builder-lock descriptor and keep the lock held after
the builder died. Jobs are batches of report ids; all of them are queued up front (ids are small), results stream
back per batch. When every worker has committed its part, ``adopt`` moves each part's segment files into the
new generation directory and returns the segment objects for the builder's single commit.
"""

from __future__ import annotations

import os
import queue
from multiprocessing import get_context
from pathlib import Path

from indexer.build.worker import IndexingFailed, part_segments, worker_main

BATCH = 16  # files per job: small enough to spread work evenly, large enough to keep queue traffic low


def index_in_parallel(corpus: Path, rids: list[str], workers: int, scratch: Path, on_files) -> list[str]:
    """Parse and index ``rids`` in ``workers`` processes; call ``on_files(results)`` as batches finish.

    Returns the part index directories. Raises ``IndexingFailed`` if a worker fails or dies.
    """
    ctx = get_context("forkserver")
    size = max(1, min(BATCH, len(rids) // (workers * 4)))
    batches = [rids[i : i + size] for i in range(0, len(rids), size)]
    jobs, results = ctx.Queue(), ctx.Queue()
    scratch.mkdir(parents=True, exist_ok=True)
    procs = [
        ctx.Process(target=worker_main, args=(str(corpus), str(scratch / f"part-{k}"), jobs, results, os.getpid()),
                    daemon=True)
        for k in range(min(workers, len(batches)))
    ]
    for p in procs:
        p.start()
    try:
        for batch in batches:
            jobs.put(batch)
        for _ in procs:
            jobs.put(None)
        parts: list[str] = []
        while len(parts) < len(procs):
            try:
                kind, payload = results.get(timeout=1.0)
            except queue.Empty:
                dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise IndexingFailed(f"a worker process died (exit code {dead[0]})") from None
                continue
            if kind == "files":
                on_files(payload)
            elif kind == "done":
                parts.append(payload)
            else:
                raise IndexingFailed(payload)
        for p in procs:
            p.join()
        return parts
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()
        for q in (jobs, results):
            q.cancel_join_thread()  # never hang at exit on a queue nobody reads any more
            q.close()


def adopt(parts: list[str], gen_dir: Path) -> list:
    """Move the segments of the committed part indexes into ``gen_dir``; return their segment objects.

    Segment file names carry a random id (``MAIN_<id>.seg``), so they cannot collide with the generation's.
    """
    segments = []
    for part in parts:
        for segment in part_segments(part):
            prefix = segment.segment_id() + "."
            for name in os.listdir(part):
                if name.startswith(prefix):
                    os.rename(Path(part) / name, gen_dir / name)
            segments.append(segment)
    return segments
