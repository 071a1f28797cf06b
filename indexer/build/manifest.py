"""Indexer stage 3 (build), the manifest: which corpus files a generation holds, and what changed since.

Each generation carries ``manifest.json``: per file (the report id, its path relative to the corpus, posix)
its size, mtime_ns, blake2b content hash (with the digest of the file's ``metadata.csv`` row, if any,
``entry_key``), status ("ok" or "failed"), the failure reason, and a small summary of
the parsed report for ``reports-index stats``. It lives inside the generation, so it always describes exactly
the index beside it.

Change detection: a file whose size and mtime_ns equal the manifest's is unchanged without being read (this
is what makes a no-op build over 10,000 files take under half a second, 100,000 about two); otherwise it is
hashed, and only a different hash (or a previous failure) sends it to the parser.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from indexer.build.generations import write_atomic
from indexer.readers import skip_reason

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


@dataclass
class Entry:
    size: int
    mtime_ns: int
    hash: str
    status: str = "ok"  # "ok" | "failed"
    error: str | None = None
    report: dict | None = None  # {title, year, province, city, county, agency, kinds, sections} when ok


@dataclass
class Manifest:
    corpus: str = ""
    built_at: str = ""
    format_version: int | None = None
    files: dict[str, Entry] = field(default_factory=dict)
    code: str = ""  # ``code_fingerprint()`` of the build that parsed these files

    def to_json(self) -> bytes:
        data = {
            "manifest_version": MANIFEST_VERSION,
            "corpus": self.corpus,
            "built_at": self.built_at,
            "format_version": self.format_version,
            "code": self.code,
            "files": {rid: asdict(e) for rid, e in sorted(self.files.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8")


def load(gen_dir: Path) -> Manifest | None:
    """The manifest of a generation, or None if it has none (an index not made by ``build``)."""
    try:
        data = json.loads((gen_dir / MANIFEST).read_bytes())
    except FileNotFoundError:
        return None
    if data.get("manifest_version") != MANIFEST_VERSION:
        return None
    files = {rid: Entry(**e) for rid, e in data["files"].items()}
    return Manifest(data["corpus"], data["built_at"], data.get("format_version"), files, data.get("code", ""))


def save(gen_dir: Path, manifest: Manifest) -> None:
    write_atomic(gen_dir / MANIFEST, manifest.to_json())


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code and data that turn a file into documents (``code_files``).

    An incremental build parses only changed files, so a new parser would otherwise leave every unchanged
    report parsed the old way; when this fingerprint differs from the manifest's, every file is parsed again.
    Computed once per process: the code a process runs is the code it loaded.
    """
    h = hashlib.blake2b(digest_size=16)
    for name, path in code_files().items():
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def code_files() -> dict[str, Path]:
    """The files ``code_fingerprint`` hashes, by path relative to the packages' folder (posix), sorted.

    Every file of the readers and the parser (the ``indexer/readers/`` and ``indexer/parse/`` folders: a new
    module there counts without being listed), the Report they fill (``indexer/model.py``), their data
    (``indexer/data/``), and the search side's ``schema.py``, ``analysis.py``, ``segmenter.py`` and
    ``weakspans.py`` with its data (``search/data/``: the user dictionary changes the words), which make the
    documents and their terms. The build machinery is left out: changing it does not change what a file's
    documents are.
    """
    import indexer
    import search

    indexer_dir, search_dir = Path(indexer.__file__).parent, Path(search.__file__).parent
    paths = [indexer_dir / "model.py"]
    for folder in ("readers", "parse", "data"):
        paths += _files_under(indexer_dir / folder)
    named = {p.relative_to(indexer_dir.parent).as_posix(): p for p in paths}
    for name in ("schema.py", "analysis.py", "segmenter.py", "weakspans.py"):
        if (search_dir / name).exists():
            named[f"search/{name}"] = search_dir / name
    for path in _files_under(search_dir / "data"):
        named[path.relative_to(search_dir.parent).as_posix()] = path
    return dict(sorted(named.items()))


def _files_under(folder: Path) -> list[Path]:
    """Every file below ``folder``, without Python's byte-code caches and hidden files (an editor's, the OS's)."""
    return [p for p in folder.rglob("*") if p.is_file()
            and not any(part == "__pycache__" or part.startswith(".") for part in p.relative_to(folder).parts)]


class Found:
    """A corpus file as found on disk: its report id, size and mtime; ``path`` made only when asked for (a
    no-op build looks at 100,000 files and opens none)."""

    __slots__ = ("rid", "file", "size", "mtime_ns", "_path")

    def __init__(self, rid: str, file: str, size: int, mtime_ns: int):
        self.rid, self.file, self.size, self.mtime_ns, self._path = rid, file, size, mtime_ns, None

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.file)
        return self._path

    def __repr__(self) -> str:
        return f"Found({self.rid!r}, size={self.size}, mtime_ns={self.mtime_ns})"


def discover(corpus: Path, skipped: list[tuple[str, str]] | None = None):
    """Yield the corpus's report files in a stable order, passing over hidden entries and editors' lock files
    silently; files no reader takes are appended to ``skipped`` as (report id, reason)."""
    top = os.fspath(corpus)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = os.path.relpath(dirpath, top)
        prefix = "" if rel == os.curdir else rel.replace(os.sep, "/") + "/"
        for name in sorted(filenames):
            if name.startswith((".", "~$")):
                continue
            file = os.path.join(dirpath, name)
            reason = skip_reason(name)
            if reason is not None:
                if skipped is not None:
                    skipped.append((prefix + name, reason))
                continue
            try:
                st = os.stat(file)
            except OSError:  # vanished, or a broken symlink: the reader will say why if it is still there
                st = None
            yield Found(prefix + name, file, st.st_size if st else -1, st.st_mtime_ns if st else -1)


def file_hash(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    try:
        # O_NONBLOCK: opening a FIFO named like a report must not wait for a writer (the build would hang)
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return ""  # a FIFO, socket or device: the reader refuses it with its reason
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError:
        return ""  # unreadable: the reader reports the reason when the file is parsed
    return h.hexdigest()


@dataclass
class Plan:
    """What an incremental build has to do, by report id."""

    parse: list[Found] = field(default_factory=list)  # new, changed, or failed last time
    unchanged: dict[str, Entry] = field(default_factory=dict)  # carried over, not parsed
    removed: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # content hash of each file in ``parse``
    touched: int = 0  # unchanged files whose mtime changed (their manifest entry is refreshed)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (report id, reason): files no reader takes

    @property
    def by_rid(self) -> dict[str, Found]:
        return {f.rid: f for f in self.parse}


def row_keys(corpus: Path):
    """A function giving each found file the digest of its ``metadata.csv`` row ("" for none)."""
    from indexer.parse import metafile

    rows = metafile.Rows(corpus)
    return lambda found: metafile.row_key(rows.row(found.file))


def entry_key(digest: str, row_key: str) -> str:
    """A file's key in the manifest: its content hash, and the digest of its metadata.csv row if it has one,
    so that a changed row re-indexes the file."""
    return f"{digest}:m{row_key}" if row_key and digest else digest


def plan(corpus: Path, previous: Manifest | None) -> Plan:
    old = previous.files if previous else {}
    result = Plan()
    seen = set()
    row_key = row_keys(corpus)
    for found in discover(corpus, result.skipped):
        seen.add(found.rid)
        entry = old.get(found.rid)
        meta = row_key(found)
        same_row = entry is not None and entry.hash.partition(":m")[2] == meta
        if entry and entry.status == "ok" and same_row and (entry.size, entry.mtime_ns) == (found.size, found.mtime_ns):
            result.unchanged[found.rid] = entry
            continue
        digest = entry_key(file_hash(found.file), meta)
        if entry and entry.status == "ok" and digest and digest == entry.hash:
            result.unchanged[found.rid] = Entry(found.size, found.mtime_ns, digest, "ok", None, entry.report)
            result.touched += 1
            continue
        result.parse.append(found)
        result.hashes[found.rid] = digest
    result.removed = sorted(set(old) - seen)
    return result
