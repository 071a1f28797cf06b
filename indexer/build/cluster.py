"""Indexer stage 3 (build), on a Dask cluster: the same worker code as ``parallel``, run as ``dask.distributed``
tasks (``reports-index build --cluster ADDRESS``).

The builder stays the one writer. It connects to a scheduler (``tcp://host:8786``) or starts a ``LocalCluster``
of N worker processes (``local:N``), checks that every worker sees the index directory and the corpus at the
same paths (``probe``), then submits the changed files in batches. Each task parses its batch, runs jieba and
writes one part index (a Whoosh segment with its gram and fingerprint files: ``worker.Part``) into the build's
scratch folder under the index directory, and returns the part's folder with the per-file results. The builder
adopts the parts in its one commit (``parallel.adopt``), exactly as after a local parallel build.

A part is per task, not per worker process (as it is locally), so that a lost worker costs only its batch: the
scheduler reruns a task whose worker died (up to its ``allowed-failures``), and ``submit(retries=…)`` reruns one
that raised. Every attempt writes a folder of its own; only the returned one is adopted. A cluster that goes
away or a batch that keeps failing raises ``ClusterError``: the build stops before the swap, the live
generation keeps serving.
"""

from __future__ import annotations

import logging
import math
import socket
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from indexer.build.worker import FileResult, IndexingFailed, Part, init_worker, parse_one

LOCAL = "local:"
MAX_BATCH = 2000  # files per task: each task's part becomes a segment of the generation, so not too many
BATCHES_PER_WORKER = 4  # small enough that a lost worker costs little, large enough to keep segments few
RETRIES = 2  # reruns of a task that raised (a worker lost mid-task is rerun by the scheduler itself)
CONNECT_TIMEOUT = 30.0  # seconds to reach a scheduler and to wait for its first worker
PROBE = "probe"


class ClusterError(Exception):
    """The cluster cannot do the build (unreachable, gone, a worker that cannot see the files, a batch that
    keeps failing); the live index is unchanged."""


@dataclass
class ClusterInfo:
    address: str  # as given: tcp://… or local:N
    workers: list[str] = field(default_factory=list)  # worker addresses when the work was sent

    def describe(self) -> str:
        return f"cluster {self.address} ({len(self.workers)} worker{'s' * (len(self.workers) != 1)}: " \
               f"{', '.join(self.workers)})"

    def to_dict(self) -> dict:
        return {"address": self.address, "workers": self.workers}


def parse_address(address: str) -> str | int:
    """``local:N`` → N (worker processes on this machine); a scheduler address is returned as it is."""
    if address.startswith(LOCAL):
        n = address[len(LOCAL):]
        if not n.isdigit() or int(n) < 1:
            raise ClusterError(f"--cluster local:N needs a number of workers ≥ 1, not {address!r}")
        return int(n)
    if "://" not in address and ":" not in address:
        raise ClusterError(f"--cluster takes a scheduler address (tcp://host:8786) or local:N, not {address!r}")
    return address


def index_on_cluster(address: str, corpus: Path, rids: list[str], hashes: dict[str, str], scratch: Path,
                     on_files, on_batch=None) -> tuple[list[str], ClusterInfo]:
    """Parse and index ``rids`` on the cluster at ``address``; call ``on_files(results)`` per finished batch
    and ``on_batch(done, total)``. Returns the part index folders (in ``scratch``) and the cluster's description.

    Raises ``ClusterError``, or ``IndexingFailed`` when Whoosh rejected a document (a bug, as locally).
    """
    from distributed import Client, as_completed

    target = parse_address(address)
    scratch.mkdir(parents=True, exist_ok=True)
    # The client logs every reconnection attempt and traceback; the ClusterError below says what happened.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    cluster = None
    try:
        if isinstance(target, int):
            from distributed import LocalCluster

            cluster = LocalCluster(n_workers=target, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            client = Client(target, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as e:
        _close(None, cluster)
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise ClusterError(f"the Dask scheduler at {address} has no worker (none joined within "
                               f"{CONNECT_TIMEOUT:g} s)") from None
        info = ClusterInfo(address, sorted(client.scheduler_info()["workers"]))
        probe(client, corpus, scratch, rids[0], hashes.get(rids[0], ""))
        batches = split(rids, len(info.workers))
        token = uuid.uuid4().hex[:8]
        futures = {
            client.submit(index_batch, str(corpus), str(scratch), batch, key=f"reports-batch-{token}-{k:05d}",
                          retries=RETRIES, pure=False): k
            for k, batch in enumerate(batches)
        }
        parts: dict[int, str] = {}
        for future in as_completed(futures):
            k = futures[future]
            try:
                part, results = future.result()
            except IndexingFailed:
                raise
            except Exception as e:
                raise ClusterError(_failure(address, k, len(batches[k]), e)) from None
            parts[k] = part
            on_files(results)
            if on_batch:
                on_batch(len(parts), len(batches))
        return [parts[k] for k in sorted(parts)], info  # in corpus order, whichever finished first
    except (OSError, TimeoutError) as e:
        raise ClusterError(f"lost the Dask cluster at {address}: {type(e).__name__}: {e}") from None
    finally:
        _close(client, cluster)


def split(rids: list[str], workers: int) -> list[list[str]]:
    """Contiguous batches of sizes differing by one at most: ``BATCHES_PER_WORKER`` per worker, more when
    a batch would exceed ``MAX_BATCH`` files."""
    n = len(rids)
    count = max(1, min(n, max(workers * BATCHES_PER_WORKER, math.ceil(n / MAX_BATCH))))
    return [rids[k * n // count : (k + 1) * n // count] for k in range(count)]


def _failure(address: str, k: int, files: int, e: BaseException) -> str:
    from concurrent.futures import CancelledError

    from distributed.scheduler import KilledWorker

    reason = " ".join(str(e).split())  # Dask's messages run over several lines; ours is one
    if isinstance(e, KilledWorker):
        return f"batch {k} ({files} files) keeps failing: it was running on every worker lost while it ran ({reason})"
    if isinstance(e, CancelledError):
        return f"lost the Dask cluster at {address} (batch {k} was cancelled: {reason or 'scheduler gone'})"
    return f"batch {k} ({files} files) keeps failing on the cluster at {address}: {type(e).__name__}: {reason}"


def _close(client, cluster) -> None:
    for thing in (client, cluster):
        if thing is not None:
            try:
                thing.close()
            except Exception:  # closing a cluster that is already gone must not hide the real error
                pass


def probe(client, corpus: Path, scratch: Path, sample: str, sample_hash: str) -> None:
    """Check that every worker sees the index directory and the corpus at the builder's paths.

    The builder writes a probe file into the scratch folder (inside the index directory); each worker reads it,
    writes one back beside it, and reads one corpus file the build is about to send (its hash must match the
    builder's). A worker must also run the builder's parser and analysis (``manifest.code_fingerprint``), or its
    reports would be parsed differently. Raises ``ClusterError`` naming each worker that cannot and why.
    """
    from indexer.build.manifest import code_fingerprint

    token = uuid.uuid4().hex
    (scratch / PROBE).write_text(token, encoding="utf-8")
    answers = client.run(_probe_worker, str(scratch), token, str(corpus), sample, sample_hash, code_fingerprint(),
                         on_error="return")
    problems = []
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            answer = f"the probe failed: {type(answer).__name__}: {answer}"
        elif answer is None:
            back = scratch / f"{PROBE}-{answer_name(worker)}"
            if not back.is_file() or back.read_text(encoding="utf-8") != token:
                answer = f"its probe file {back} did not reach the builder"
        if answer:
            problems.append(f"worker {worker}: {answer}")
    if problems:
        raise ClusterError("the index directory and the corpus must be visible to every Dask worker at the same "
                           "path (a shared filesystem), and the workers must run this version: "
                           + "; ".join(problems))


def answer_name(worker: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in worker)


def _probe_worker(scratch: str, token: str, corpus: str, sample: str, sample_hash: str, code: str,
                  dask_worker=None) -> str | None:
    """Runs on each worker (``Client.run``): None when it sees both paths, else what it cannot see."""
    from indexer.build.manifest import code_fingerprint, file_hash

    host = socket.gethostname()
    if code_fingerprint() != code:
        return f"on {host} runs another version of the parser or the analysis than the builder: install the same"
    path = Path(scratch) / PROBE
    try:
        seen = path.read_text(encoding="utf-8")
    except OSError as e:
        return f"on {host} cannot see the index directory: cannot read {path} ({e.strerror or e})"
    if seen != token:
        return f"on {host} sees another index directory at {Path(scratch).parent}: {path} holds another probe"
    back = Path(scratch) / f"{PROBE}-{answer_name(dask_worker.address)}"
    try:
        back.write_text(token, encoding="utf-8")
    except OSError as e:
        return f"on {host} cannot write into the index directory: {back} ({e.strerror or e})"
    source = Path(corpus) / sample
    try:
        digest = file_hash(source)
    except OSError as e:
        return f"on {host} cannot see the corpus: cannot read {source} ({e.strerror or e})"
    if sample_hash and digest != sample_hash:
        return f"on {host} sees another corpus at {corpus}: {source} differs from the builder's"
    return None


_READY = False


def index_batch(corpus: str, scratch: str, rids: list[str]) -> tuple[str, list[FileResult]]:
    """The task: one batch of files → one committed part index in ``scratch`` (a folder of this attempt's own).

    Failed files carry the worker's host and address in ``host``.
    """
    global _READY
    from distributed import get_worker

    if not _READY:
        init_worker()  # jieba once per worker process
        _READY = True
    where = f"{socket.gethostname()} {get_worker().address}"
    part = Part(Path(scratch) / f"part-{uuid.uuid4().hex}")
    results = []
    try:
        for rid in rids:
            result, docs = parse_one(corpus, rid)
            part.add(rid, docs)
            if not result.ok:
                result.host = where
            results.append(result)
        part.commit()
    except BaseException:
        part.cancel()
        raise
    return str(part.dir), results

