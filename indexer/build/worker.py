"""Indexer stage 3 (build), the workers: files → parsed, analysed Whoosh segments, in parallel processes.

``parse_one`` turns one corpus file into its Whoosh documents (``indexer.parse.parse_file`` then
``search.schema.section_documents``) or a failure reason. In a parallel build, each worker process takes
batches of files from a job queue and adds their documents to a private index of its own (a ``Part``: one
Whoosh writer and one ``search.grams`` writer for the worker's whole life), so everything expensive happens
in parallel: parsing, jieba, the exact grams and writing the postings. At the end each worker commits its
part as one segment with its gram file; the builder moves those files into the new generation and lists the
segments in its commit (``indexer.build.build``): nothing is analysed or written twice. A build with one worker
writes one part in its own process. Only per-file results (small) travel back through a queue; memory stays
bounded (the Whoosh writer spills to disk past ``limitmb``, the gram writer flushes a chunk every
``search.grams.CHUNK_ENTRIES`` grams).

jieba's dictionary is loaded once per worker process (``init_worker``).

Bounded reading: each file is read, parsed and turned into documents under a deadline (``FILE_SECONDS``, a
``SIGALRM`` timer around ``parse_one``) and, in worker processes, a memory limit (``FILE_MEMORY_MB`` of address
space above what the worker holds when it starts, ``resource.setrlimit(RLIMIT_AS)``): a file exceeding either
fails with that reason and the build goes on. The environment variables ``REPORTS_INDEX_FILE_SECONDS`` and
``REPORTS_INDEX_FILE_MEMORY_MB`` change them (0: no limit).
"""

from __future__ import annotations

import os
import queue
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from indexer.readers import ReadError

LIMIT_MB = 64  # per worker writer; Whoosh spills sorted runs to disk beyond it
FILE_SECONDS = 120.0  # per file: reading, parsing and analysis (a 64 MB text takes well under a minute)
FILE_MEMORY_MB = 2048  # per worker process, above its size after start-up (jieba and the Whoosh writer)
SECONDS_ENV, MEMORY_ENV = "REPORTS_INDEX_FILE_SECONDS", "REPORTS_INDEX_FILE_MEMORY_MB"


class FileTimeout(Exception):
    """A file took longer than its deadline."""


def _limit(env: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(env, default)))
    except ValueError:
        return default


@contextmanager
def deadline(seconds: float):
    """Raise ``FileTimeout`` in this (main) thread after ``seconds`` (0: never); the old timer is restored."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum, _frame):
        raise FileTimeout(f"time limit exceeded ({seconds:g} s)")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def limit_memory(megabytes: float | None = None) -> int | None:
    """Cap this process's address space at its current size plus ``megabytes`` (``FILE_MEMORY_MB``); returns
    the cap in bytes (None: no limit set). For worker processes only: the cap lasts as long as the process."""
    import resource

    megabytes = _limit(MEMORY_ENV, FILE_MEMORY_MB) if megabytes is None else megabytes
    if not megabytes:
        return None
    try:
        with open("/proc/self/statm") as f:
            current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None  # not Linux: no reliable size to start from
    cap = current + int(megabytes * 1024 * 1024)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return cap


@dataclass
class FileResult:
    rid: str
    ok: bool
    error: str | None = None
    report: dict | None = None  # the summary kept in the manifest (see ``summarize``)
    size: int = 0
    host: str | None = None  # on a cluster: the worker that read the file (named in failure lines)


class IndexingFailed(Exception):
    """Whoosh rejected a document: a bug, not a bad file; the build stops and the live index stays."""


def init_worker() -> None:
    """Load once for the life of the process, quietly, what every report needs: jieba's dictionaries (ours,
    ``search.analysis``), the fast segmenter, the parser's modules and the gazetteer; so a file's deadline
    counts its own work, not the first file's loading."""
    from indexer.parse.places import gazetteer
    from search.segmenter import fast_segmenter, load_words

    load_words()
    fast_segmenter()
    gazetteer()


def parse_one(corpus: str, rid: str) -> tuple[FileResult, list[dict]]:
    """The documents of one corpus file, or a failed result with the reason (and no documents)."""
    from indexer.parse import parse_file
    from search.schema import section_documents

    path = Path(corpus) / rid
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    stage = "parse"
    try:
        with deadline(_limit(SECONDS_ENV, FILE_SECONDS)):
            report = parse_file(path, root=corpus).to_dict()
            stage = "index"
            docs = section_documents(report)
    except ReadError as e:
        return FileResult(rid, False, e.reason, size=size), []
    except FileTimeout as e:
        return FileResult(rid, False, str(e), size=size), []
    except MemoryError:
        return FileResult(rid, False, "memory limit exceeded", size=size), []
    except Exception as e:  # a parser bug on one odd file must not stop the other 9,999
        return FileResult(rid, False, f"cannot {stage}: {type(e).__name__}: {e}", size=size), []
    return FileResult(rid, True, report=summarize(report), size=size), docs


class Part:
    """A private index (one Whoosh writer, one segment), its gram file (``search.grams``), its word file
    (``search.words``) and its fingerprint file (``search.fingerprints``), written as reports are added;
    ``commit`` names them after the segment, so they travel together."""

    def __init__(self, part_dir):
        from search.fingerprints import PrintWriter
        from search.grams import GramWriter
        from search.schema import create_index, writer
        from search.words import WordWriter

        self.dir = Path(part_dir)
        self.writer = writer(create_index(self.dir), limitmb=LIMIT_MB)
        self.grams = GramWriter(self.dir / "part.grams")
        self.words = WordWriter(self.dir / "part.words")
        self.prints = PrintWriter(self.dir / "part.prints")

    def add(self, rid: str, docs: list[dict]) -> None:
        from search.schema import gram_source, whoosh_documents

        if not docs:
            return
        head = self.writer.docnum
        try:
            for doc in whoosh_documents(docs):
                self.writer.add_document(**doc)
            self.grams.add(head, **gram_source(docs, docs[0].get("slots"), [d["kmask"] for d in docs[1:]]))
            self.words.add(head, docs[0]["words"])
            self.prints.add(head, "".join(d.get("text") or "" for d in docs))
        except Exception as e:
            raise IndexingFailed(f"cannot index {rid}: {type(e).__name__}: {e}") from e

    def commit(self) -> None:
        from search import fingerprints, grams, words

        self.writer.commit(merge=False)  # one segment (none if nothing was added)
        segments = part_segments(self.dir)
        if not segments:
            self.grams.abort()
            self.words.abort()
            return
        (segment,) = segments
        self.grams.close(grams.path_for(self.dir, segment.segment_id()))
        self.words.close(words.path_for(self.dir, segment.segment_id()))
        self.prints.close(fingerprints.path_for(self.dir, segment.segment_id()))

    def cancel(self) -> None:
        self.writer.cancel()
        self.grams.abort()
        self.words.abort()


def worker_main(corpus: str, part_dir: str, jobs, results, parent_pid: int) -> None:
    """Process body: batches of report ids from ``jobs`` (None = finish) → documents in the part index.

    Puts ``("files", [FileResult])`` per batch, then ``("done", part_dir)``, or ``("error", message)``.
    """
    try:
        _die_with_parent()
        init_worker()
        part = Part(part_dir)
        limit_memory()
        while True:
            try:
                batch = jobs.get(timeout=1.0)
            except queue.Empty:
                batch = ()
            if not _alive(parent_pid):
                return  # the builder was killed: stop, its scratch space is removed by the next build
            if batch is None:
                break
            done = []
            for rid in batch:
                result, docs = parse_one(corpus, rid)
                part.add(rid, docs)
                done.append(result)
            if done:
                results.put(("files", done))
        part.commit()
        results.put(("done", part_dir))
    except BaseException as e:
        results.put(("error", str(e) if isinstance(e, IndexingFailed) else f"{type(e).__name__}: {e}"))


def part_segments(part_dir) -> list:
    """The Whoosh segment objects listed by a committed part index."""
    from whoosh.index import TOC

    from search.schema import open_index

    ix = open_index(part_dir)
    try:
        return list(TOC.read(ix.storage, ix.indexname, schema=ix.schema).segments)
    finally:
        ix.close()


def _die_with_parent() -> None:
    """Linux: get SIGKILL when the parent (the forkserver, which exits with the builder) dies, so a killed
    build leaves no orphan workers; elsewhere the ``_alive`` check between batches does it, more slowly."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def summarize(report: dict) -> dict:
    """What ``stats`` needs of a report, kept in the manifest so that stats never re-reads the index."""
    kinds = sorted({k for s in report.get("sections", []) for k in s.get("kinds") or []})
    keys = ("title", "agency", "province", "city", "county", "level", "sector", "year")
    return {**{k: report.get(k) for k in keys}, "kinds": kinds, "sections": len(report.get("sections", []))}


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
