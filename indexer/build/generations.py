"""Indexer stage 3 (build), the generation layout: how a build replaces the live index atomically.

``INDEX_DIR/CURRENT`` holds the name of the live generation (``gen-000007``), a complete Whoosh index
directory. A build never writes into the live generation: it makes a new one, fills it, flushes it to disk,
and only then points CURRENT at it with ``os.replace`` (atomic on POSIX). A reader therefore always sees a
complete old or a complete new index, whenever the build is killed.

An incremental build starts its generation from hard links to the live one's files. That is safe because
Whoosh never modifies an index file in place: segments are written once under new random names
(``codec/base.py`` ``Segment.create_file``), deletions live in the segment objects pickled into the TOC, and a
commit writes a new ``_MAIN_<n>.toc`` through a temporary file and a rename (``index.py`` ``TOC.write``).
Removing old files (``index.py`` ``_clean_files``) unlinks the name in the new directory only. Files that are
not Whoosh's own (markers written by ``search.schema``) are copied, not linked, so no writer can reach the
live generation through a shared inode.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from search.schema import CURRENT_FILE  # the read side finds the live generation by the same name

GEN_PREFIX = "gen-"
TMP_PREFIX = ".tmp-"  # scratch space of a build (worker part indexes), removed by the next build if left over
_GEN = re.compile(r"^gen-(\d{6,})$")
# Whoosh's immutable files: TOCs and segment files (see the module docstring).
_WHOOSH_FILE = re.compile(r"^(_MAIN_\d+\.toc|MAIN_[0-9a-z]+\.[A-Za-z0-9_]+)$")
KEEP = 2  # the live generation and the one before it (a server may still be reading it)


def gen_name(number: int) -> str:
    return f"{GEN_PREFIX}{number:06d}"


def gen_number(name: str) -> int | None:
    m = _GEN.match(name)
    return int(m.group(1)) if m else None


def read_current(index_dir: str | os.PathLike) -> str | None:
    """The live generation's name, or None when there is none (no CURRENT, or it names nothing)."""
    try:
        name = (Path(index_dir) / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if gen_number(name) is None or not (Path(index_dir) / name).is_dir():
        return None
    return name


def generations(index_dir: str | os.PathLike) -> list[str]:
    """Names of all generation directories, oldest first."""
    try:
        names = os.listdir(index_dir)
    except FileNotFoundError:
        return []
    gens = [n for n in names if gen_number(n) is not None and (Path(index_dir) / n).is_dir()]
    return sorted(gens, key=gen_number)


def next_generation(index_dir: str | os.PathLike) -> str:
    """A fresh name, higher than any generation on disk: the live one's name is never reused."""
    numbers = [gen_number(n) for n in generations(index_dir)]
    return gen_name(max(numbers, default=0) + 1)


def seed_from(live: Path, new: Path, skip: set[str]) -> None:
    """Fill the empty directory ``new`` with the live index: hard links for Whoosh files, copies otherwise."""
    for entry in os.scandir(live):
        if not entry.is_file(follow_symlinks=False) or entry.name in skip or "WRITELOCK" in entry.name:
            continue
        src, dst = Path(entry.path), new / entry.name
        if _WHOOSH_FILE.match(entry.name):
            try:
                os.link(src, dst)
                continue
            except OSError:  # a filesystem without hard links: copying is slower but just as correct
                pass
        shutil.copy2(src, dst)


def fsync_tree(path: Path) -> None:
    """Flush every file in ``path`` and the directory itself, so a crash after the swap finds them whole."""
    for entry in os.scandir(path):
        if entry.is_file(follow_symlinks=False):
            fd = os.open(entry.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(path)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file, fsync, ``os.replace``, fsync of the directory."""
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def swap_current(index_dir: Path, name: str) -> None:
    """Make generation ``name`` the live one (the atomic step of every build)."""
    write_atomic(index_dir / CURRENT_FILE, (name + "\n").encode())


def clean_up(index_dir: Path, keep: int = KEEP) -> list[str]:
    """Remove old generations (all but the live one and the ``keep - 1`` before it) and build leftovers.

    Leftovers are generations newer than the live one (a build killed before its swap) and ``.tmp-*``
    scratch entries. Call only while holding the builder lock. Returns the names removed.
    """
    live = read_current(index_dir)
    gens = generations(index_dir)
    if live is None:
        doomed = gens
    else:
        older = [g for g in gens if gen_number(g) < gen_number(live)]
        newer = [g for g in gens if gen_number(g) > gen_number(live)]
        doomed = older[: max(0, len(older) - (keep - 1))] + newer
    doomed += [n for n in os.listdir(index_dir) if n.startswith(TMP_PREFIX)]
    for name in doomed:
        path = index_dir / name
        if path.is_dir() and not path.is_symlink():
            # A server may hold files of an old generation open: on POSIX they live on until it closes them.
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return doomed


def size_on_disk(path: Path) -> int:
    return sum(e.stat(follow_symlinks=False).st_size for e in os.scandir(path) if e.is_file(follow_symlinks=False))
