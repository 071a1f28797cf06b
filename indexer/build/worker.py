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
"""

from __future__ import annotations

import os
import queue
import signal
from dataclasses import dataclass
from pathlib import Path

from indexer.readers import ReadError

LIMIT_MB = 64  # per worker writer; Whoosh spills sorted runs to disk beyond it


@dataclass
class FileResult:
    rid: str
    ok: bool
    error: str | None = None
    report: dict | None = None  # the summary kept in the manifest (see ``summarize``)
    size: int = 0


class IndexingFailed(Exception):
    """Whoosh rejected a document: a bug, not a bad file; the build stops and the live index stays."""


def init_worker() -> None:
    """Load jieba's dictionaries (ours, ``search.analysis``) once for the life of the process, quietly."""
    from search.analysis import load_words

    load_words()


def parse_one(corpus: str, rid: str) -> tuple[FileResult, list[dict]]:
    """The documents of one corpus file, or a failed result with the reason (and no documents)."""
    from indexer.parse import parse_file
    from search.schema import section_documents

    path = Path(corpus) / rid
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    try:
        report = parse_file(path, root=corpus).to_dict()
    except ReadError as e:
        return FileResult(rid, False, e.reason, size=size), []
    except Exception as e:  # a parser bug on one odd file must not stop the other 9,999
        return FileResult(rid, False, f"cannot parse: {type(e).__name__}: {e}", size=size), []
    try:
        docs = section_documents(report)
    except Exception as e:
        return FileResult(rid, False, f"cannot index: {type(e).__name__}: {e}", size=size), []
    return FileResult(rid, True, report=summarize(report), size=size), docs


class Part:
    """A private index (one Whoosh writer, one segment), its gram file (``search.grams``) and its fingerprint
    file (``search.fingerprints``), written as reports are added; ``commit`` names both after the segment, so
    they travel together."""

    def __init__(self, part_dir):
        from search.fingerprints import PrintWriter
        from search.grams import GramWriter
        from search.schema import create_index, writer

        self.dir = Path(part_dir)
        self.writer = writer(create_index(self.dir), limitmb=LIMIT_MB)
        self.grams = GramWriter(self.dir / "part.grams")
        self.prints = PrintWriter(self.dir / "part.prints")

    def add(self, rid: str, docs: list[dict]) -> None:
        from search.schema import gram_source

        if not docs:
            return
        head = self.writer.docnum
        try:
            for doc in docs:
                self.writer.add_document(**doc)
            self.grams.add(head, **gram_source(docs, docs[0].get("slots"), [d["kmask"] for d in docs[1:]]))
            self.prints.add(head, "".join(d.get("text") or "" for d in docs))
        except Exception as e:
            raise IndexingFailed(f"cannot index {rid}: {type(e).__name__}: {e}") from e

    def commit(self) -> None:
        from search import fingerprints, grams

        self.writer.commit(merge=False)  # one segment (none if nothing was added)
        segments = part_segments(self.dir)
        if not segments:
            self.grams.abort()
            return
        (segment,) = segments
        self.grams.close(grams.path_for(self.dir, segment.segment_id()))
        self.prints.close(fingerprints.path_for(self.dir, segment.segment_id()))

    def cancel(self) -> None:
        self.writer.cancel()
        self.grams.abort()


def worker_main(corpus: str, part_dir: str, jobs, results, parent_pid: int) -> None:
    """Process body: batches of report ids from ``jobs`` (None = finish) → documents in the part index.

    Puts ``("files", [FileResult])`` per batch, then ``("done", part_dir)``, or ``("error", message)``.
    """
    try:
        _die_with_parent()
        init_worker()
        part = Part(part_dir)
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
