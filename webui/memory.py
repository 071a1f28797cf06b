"""Web UI stage: the server process's allocator (glibc's malloc), set before its threads start.

Two defaults of glibc hold memory a server does not use (bench, 8 clients at 10k reports, peak RSS of one
process 327 → 283 MB, requests/s unchanged):
- each thread that allocates gets its own arena (up to 8 a core), and what a page freed stays resident in
  the arena of the thread that served it: capped at ``ARENAS``;
- the threshold above which a block is mapped on its own (and unmapped when freed) grows to the largest
  block freed so far, so a page's large numpy temporaries come from the heap afterwards and their freed
  space stays in it: fixed at ``MMAP_THRESHOLD``.
Elsewhere (not Linux, or not glibc) nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

ARENAS = 2  # malloc arenas a server process keeps (its threads share them)
MMAP_THRESHOLD = 256 * 1024  # bytes: larger blocks are mapped on their own, and returned when freed
M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's malloc.h


def tune_malloc() -> bool:
    """Cap glibc's malloc arenas and fix its mmap threshold for this process (and the processes it forks);
    returns whether both were set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, ARENAS)) & bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
