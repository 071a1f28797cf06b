"""Indexer stage 2 (parse), metafile: the ``metadata.csv`` staff may put in a corpus folder, one row per file.

Columns (header row required, any order, ``file`` required): ``file,title,agency,province,city,county,level,
sector,year,publish_date,url`` (``COLUMNS``). ``file`` is the report's path relative to the csv's folder (a report is looked up in the
file beside it, then in those of the folders above it up to the corpus). Any
non-empty cell overrides what the parser found for that file (evidence ``metadata_file``); the ``url`` cell is
also the page's address the parser's address clue reads. UTF-8 with or without a BOM, as Excel saves it (a
GB18030 file, Excel's "CSV" on Chinese Windows, is read too). A malformed row is reported with its line
number and ignored; it never stops a parse or a build.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

from indexer.model import LEVELS, SECTORS, Report
from indexer.parse.dates import parse_date

FILE_NAME = "metadata.csv"
COLUMNS = ("file", "title", "agency", "province", "city", "county", "level", "sector", "year", "publish_date", "url")


@dataclass
class MetaFile:
    path: Path
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # file → its non-empty cells (file excluded)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason): rows ignored

    def messages(self) -> list[str]:
        return [f"{self.path}:{line}: {reason}; row ignored" for line, reason in self.errors]


def load(folder: str | os.PathLike) -> MetaFile | None:
    """The ``metadata.csv`` of ``folder``, or None when it has none (read once per content)."""
    path = Path(folder) / FILE_NAME
    try:
        st = path.stat()
    except OSError:
        return None
    return _load(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)
def _load(path: str, _size: int, _mtime_ns: int) -> MetaFile:
    meta = MetaFile(Path(path))
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        meta.errors.append((0, f"cannot read: {e.strerror}"))
        return meta
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            meta.errors.append((0, "not UTF-8 text"))
            return meta
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        return meta
    unknown = [h for h in header if h and h not in COLUMNS]
    if "file" not in header or unknown:
        why = f"unknown columns {', '.join(unknown)}" if unknown else "no 'file' column"
        meta.errors.append((1, f"{why} (columns: {','.join(COLUMNS)})"))
        return meta
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            meta.errors.append((reader.line_num, f"malformed: {e}"))
            continue
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            meta.errors.append((line, f"{len(cells)} cells for {len(header)} columns"))
            continue
        row = {h: c.strip() for h, c in zip(header, cells) if h and c.strip()}
        problem = _problem(row)
        if problem:
            meta.errors.append((line, problem))
            continue
        name = PurePath(row.pop("file").replace("\\", "/")).as_posix()
        if "publish_date" in row:
            row["publish_date"] = parse_date(row["publish_date"])
        meta.rows[name] = row
    return meta


def _problem(row: dict) -> str | None:
    if not row.get("file"):
        return "no file name"
    if "year" in row and not (row["year"].isdigit() and 1949 <= int(row["year"]) <= 2100):
        return f"year {row['year']!r} is not a year"
    if "level" in row and row["level"] not in LEVELS:
        return f"level {row['level']!r} is not one of {', '.join(LEVELS)}"
    if "sector" in row and row["sector"] not in SECTORS:
        return f"sector {row['sector']!r} is not one of {', '.join(SECTORS)}"
    if "publish_date" in row and not parse_date(row["publish_date"]):
        return f"publish_date {row['publish_date']!r} is not a date (YYYY-MM-DD)"
    return None


def row_for(path: str | os.PathLike, root: str | os.PathLike | None = None) -> dict[str, str] | None:
    """The row for ``path`` in the ``metadata.csv`` beside it, else (up to ``root``) in a folder above it,
    where ``file`` is the path relative to that folder (a sub-folder's reports listed in the corpus's file)."""
    return Rows(root).row(path)


class Rows:
    """``row_for`` over many files of one corpus: each folder's metadata files (its own and those above it up
    to ``root``) are looked up once, so a build's plan over 100,000 files stats each folder's csv once, not
    once a file and level."""

    def __init__(self, root: str | os.PathLike | None = None):
        self.top = os.path.abspath(root) if root is not None else None
        self._chains: dict[str, tuple[tuple[str, MetaFile], ...]] = {}

    def chain(self, folder: str) -> tuple[tuple[str, MetaFile], ...]:
        """(folder, its MetaFile) from ``folder`` (absolute) up to the root, nearest first, where there is one."""
        hit = self._chains.get(folder)
        if hit is None:
            meta = load(folder)
            here = ((folder, meta),) if meta else ()
            parent = os.path.dirname(folder)
            above = () if folder == self.top or parent == folder else self.chain(parent)
            hit = self._chains[folder] = here + above
        return hit

    def row(self, path: str | os.PathLike) -> dict[str, str] | None:
        path = os.path.abspath(path)
        for folder, meta in self.chain(os.path.dirname(path)):
            rel = path[len(folder):].lstrip(os.sep)
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            if rel in meta.rows:
                return meta.rows[rel]
        return None


def row_key(row: dict | None) -> str:
    """A short digest of a row's content ("" for none): part of the file's key in the build's manifest."""
    if not row:
        return ""
    flat = "\x1f".join(f"{k}={row[k]}" for k in sorted(row))
    return hashlib.blake2b(flat.encode("utf-8"), digest_size=8).hexdigest()


def apply(report: Report, row: dict | None) -> Report:
    """Override ``report``'s fields with the row's cells (evidence ``metadata_file``). An agency given without
    its places gets them (and its level and sector) from the agency's name, as the parser would."""
    if not row:
        return report
    from indexer.parse import agency as agencies
    from indexer.parse import places

    if "agency" in row and not any(k in row for k in ("province", "city", "county", "level")):
        div = places.resolve(row["agency"])
        level, county = agencies.level_of(row["agency"], div)
        derived = {"province": div.province if div else None, "city": places.city_label(div), "county": county,
                   "level": level}
        for name, value in derived.items():
            setattr(report, name, value)
            report.evidence.pop(name, None)
            if value is not None:
                report.evidence[name] = {"source": "metadata_file", "text": f"agency {row['agency']}"}
        if "sector" not in row:
            report.sector = agencies.sector_of(row["agency"])
            report.evidence["sector"] = {"source": "metadata_file", "text": f"agency {row['agency']}"}
    for name, value in row.items():
        if name == "url":
            report.source_url = value
            continue
        setattr(report, name, int(value) if name == "year" else value)
        if name in ("title",):
            continue
        report.evidence[name] = {"source": "metadata_file", "text": f"{name} {value}"}
    return report
