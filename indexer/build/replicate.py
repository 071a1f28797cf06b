"""Indexer stage 3 (build), replicas: copy the live generation of an index to another index directory.

A generation is an immutable folder, so a replica needs nothing but a copy of it and then its own ``CURRENT``:
``replicate(DIR, DEST)`` copies ``DIR/gen-NNNNNN`` into ``DEST`` under a scratch name (a real copy, never hard
links: DEST is typically another machine's disk, mounted), flushes it, renames it to its generation name and
then points ``DEST/CURRENT`` at it atomically, as a build does. A search server on DEST keeps answering from
its old generation during the copy and follows the swap by itself; the two newest generations are kept.
The same by hand on another machine: ``rsync -a DIR/gen-NNNNNN host:DEST/`` then write ``gen-NNNNNN`` into
``DEST/CURRENT`` through a temporary file and a rename.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.build import generations as gens
from indexer.build.lock import BuildLock


class ReplicateError(Exception):
    """Nothing to copy, or the copy failed; DEST keeps serving what it served."""


@dataclass
class Replica:
    source: str
    dest: str
    generation: str
    copied: bool  # False: DEST already served this generation
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    removed: tuple[str, ...] = ()  # DEST's generations dropped (older than the two newest)

    def line(self) -> str:
        if not self.copied:
            return f"{self.dest} already serves {self.generation}"
        return (f"copied {self.generation} ({self.files} files, {self.bytes / 1e6:.1f} MB) to {self.dest} in "
                f"{self.seconds:.1f} s; {self.dest} serves {self.generation}")

    def to_dict(self) -> dict:
        return {"source": self.source, "dest": self.dest, "generation": self.generation, "copied": self.copied,
                "files": self.files, "bytes": self.bytes, "seconds": round(self.seconds, 3),
                "removed": list(self.removed)}


def replicate(index_dir: str | os.PathLike, dest: str | os.PathLike, wait: float = 10.0) -> Replica:
    """Make ``dest`` serve the live generation of ``index_dir``. Raises ``ReplicateError`` or
    ``indexer.build.lock.LockTimeout`` (another replicate or build holds DEST)."""
    from indexer.build import _pause  # the builds' test seam: a test can stop us between copy and swap

    started = time.monotonic()
    source, dest = Path(index_dir).absolute(), Path(dest).absolute()
    live = gens.read_current(source)
    if live is None:
        raise ReplicateError(f"no index at {source}: run `reports-index build` first")
    if source == dest:
        raise ReplicateError("DEST is the index directory itself")
    dest.mkdir(parents=True, exist_ok=True)
    with BuildLock(dest, wait=wait):
        if gens.read_current(dest) == live:
            return Replica(str(source), str(dest), live, copied=False)
        gens.clean_up(dest)  # leftovers of an interrupted copy
        scratch = dest / f"{gens.TMP_PREFIX}{live}-{os.getpid()}"
        try:
            shutil.copytree(source / live, scratch, copy_function=shutil.copy2)
        except (OSError, shutil.Error) as e:
            shutil.rmtree(scratch, ignore_errors=True)
            raise ReplicateError(f"cannot copy {source / live} to {dest} ({e}); if a newer build removed it, "
                                 "run replicate again") from None
        gens.fsync_tree(scratch)
        sizes = [e.stat().st_size for e in os.scandir(scratch) if e.is_file()]
        target = dest / live
        if target.exists():  # a copy of this name that was never made live: replace it
            shutil.rmtree(target)
        os.rename(scratch, target)
        gens.fsync_dir(dest)
        _pause("copied")
        gens.swap_current(dest, live)
        removed = tuple(gens.clean_up(dest))
    return Replica(str(source), str(dest), live, True, len(sizes), sum(sizes), time.monotonic() - started, removed)
