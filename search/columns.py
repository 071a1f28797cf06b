"""Columns (read side, opening a generation): the index's per-document columns → arrays over reports.

Read once per index generation by ``load``, in four parts:
1. ``read_documents``: each live document's report, kinds and section index; each report's metadata and
   section positions from its head document. Reports are ordinals 0..R-1, in index order.
2. ``section_table``: every section of the index ordered by address (head docnum << SHIFT | position), so a
   match's address finds its section (kinds, heading, length) with one searchsorted (``search.matching``,
   ``search.ranking``); each report's opening (title, agency, preamble) is an entry too. ``weak_table``: the
   weak spans (``search.weakspans``) of every report, ordered the same way.
3. ``facet_codes``: per facet field, each report's value as a code into the sorted values (one bincount
   per facet, ``search.facets``).
4. ``year_rank``: the default order (newest year first, then file name) as one rank per report.

The build saves what ``load`` returns in the generation's column file (``search.columnfile``, see ``save``);
``open_columns`` maps it from there and falls back to ``load`` where there is none for the open reader.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from search import columnfile, weakspans
from search.grams import SHIFT
from search.schema import FACET_FIELDS, NO_KIND, segment_readers
from search.weakspans import unpack as unpack_weak

META = FACET_FIELDS + ("year",)  # the report-level metadata held per report (and counted as facets)


@dataclass
class Documents:
    """Part 1: what each document belongs to, and each report's metadata."""

    reports: list[dict]  # per report: {"file", *META}
    report_docs: list[list[int]]  # per report: its docnums, head first, then its sections in order
    by_id: dict[str, int]  # report id → ordinal
    doc_report: np.ndarray  # per docnum: report ordinal (-1: deleted)
    doc_mask: np.ndarray  # per docnum: kind bits of its section (NO_KIND: none)
    doc_sec: np.ndarray  # per docnum: section index (-1: the head)


@dataclass
class HeadValues:
    """Part 1, per report, its head's two columns that part 2 turns into tables (and that are not kept)."""

    slots: dict[int, array]  # report → section start/body-start positions, pairs
    weak: dict[int, bytes]  # report → its exact text's length and weak spans (search.weakspans.pack)


@dataclass
class Sections:
    """Part 2: every section of the index, ordered by address, each report's opening (position 0, section
    index -1, ``NO_KIND``) first among its own; a first sentinel (docnum -1) comes before them all."""

    starts: list[array]  # per report: exact-text positions where its sections start
    addr: np.ndarray  # section start addresses, sorted
    body: np.ndarray  # addresses where their bodies start (after the heading)
    mask: np.ndarray  # their kind bits
    doc: np.ndarray  # the head docnum of their report
    sec: np.ndarray  # their section index (-1: the opening)
    length: np.ndarray  # their length in positions (to the next section or the end of the text)


@dataclass
class Weak:
    """The weak spans of every report (``search.weakspans``), as addresses ordered like the sections."""

    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray


@dataclass
class Columns(Documents):
    """Everything the read side keeps in memory about one generation: the documents (part 1) and what
    parts 2–4 derive from them."""

    heads: np.ndarray  # per report: its head docnum
    report_mask: np.ndarray  # per report: OR of its documents' kind bits
    sections: Sections
    weak_spans: Weak
    codes: dict[str, np.ndarray]  # per facet field: per report, the code of its value (-1: none)
    labels: dict[str, list]  # per facet field: the values, sorted (by str); a code indexes this list
    year_rank: np.ndarray  # per report: its place in the default order


def open_columns(reader, index_path, toc_generation: int) -> Columns:
    """The columns of a generation: from its column file when it has one made for this reader by this code,
    else read from the reader (``load``). A damaged file raises ``search.columnfile.ColumnFileError``."""
    saved = columnfile.read(columnfile.path_for(index_path, toc_generation), file_key(reader))
    return saved if saved is not None else load(reader)


def save(reader, index_path, toc_generation: int) -> Path:
    """Write the column file of a generation (the build does, once its segments are final)."""
    return columnfile.write(load(reader), columnfile.path_for(index_path, toc_generation), file_key(reader))


def file_key(reader) -> list:
    """What a column file must match to be used: the reader's segments, the fields of ``Columns`` and the
    code that computes them (this module, and ``search.weakspans`` for the weak spans)."""
    layout = [f.name for f in fields(Columns)] + [f.name for f in fields(Sections)]
    return [columnfile.reader_key(reader), layout, _code_hash()]


_CODE_HASH: list[str] = []


def _code_hash() -> str:
    if not _CODE_HASH:
        h = hashlib.blake2b(digest_size=8)
        for module in (__file__, weakspans.__file__):
            h.update(Path(module).read_bytes())
        _CODE_HASH.append(h.hexdigest())
    return _CODE_HASH[0]


def load(reader) -> Columns:
    """The columns of an open Whoosh reader (one generation), in the four parts of the module docstring."""
    docs, values = read_documents(reader)
    heads = np.array([d[0] for d in docs.report_docs], dtype=np.int64)
    report_mask = np.zeros(len(docs.reports), dtype=np.uint8)
    live = docs.doc_report >= 0
    np.bitwise_or.at(report_mask, docs.doc_report[live], docs.doc_mask[live].astype(np.uint8))
    codes, labels = facet_codes(docs.reports)
    return Columns(**vars(docs), heads=heads, report_mask=report_mask, sections=section_table(docs, values),
                   weak_spans=weak_table(docs, values), codes=codes, labels=labels, year_rank=year_rank(docs.reports))


def read_documents(reader) -> tuple[Documents, HeadValues]:
    """Part 1: one pass over each segment's columns; a report's documents sorted by section index."""
    n = reader.doc_count_all()
    out = Documents([], [], {}, np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64),
                    np.zeros(n, dtype=np.int64))
    values = HeadValues({}, {})
    for sub, base in segment_readers(reader):
        cols = {name: list(sub.column_reader(name)) for name in ("report_id", "kmask", "sec_index", "slots", "weak") + META}
        live = set(sub.all_doc_ids())
        for i, rid in enumerate(cols["report_id"]):
            if i in live:
                _add_document(out, values, cols, i, base + i, rid)
    for docs in out.report_docs:
        docs.sort(key=lambda d: out.doc_sec[d])
    return out, values


def _add_document(out: Documents, values: HeadValues, cols: dict, i: int, d: int, rid: str) -> None:
    """Document ``i`` of a segment (docnum ``d``) of report ``rid``; its head holds the report's metadata."""
    r = out.by_id.get(rid)
    if r is None:
        r = out.by_id[rid] = len(out.reports)
        out.reports.append({"file": rid, **dict.fromkeys(META)})
        out.report_docs.append([])
    if cols["sec_index"][i] < 0:
        meta = out.reports[r]
        for name in META:
            meta[name] = cols[name][i] or None
        if not isinstance(meta["year"], int) or not 1000 <= meta["year"] <= 9999:
            meta["year"] = None  # a missing number reads as the column's default
        values.slots[r] = array("i", cols["slots"][i] or b"")
        values.weak[r] = cols["weak"][i] or b""
    out.doc_report[d] = r
    out.doc_mask[d] = cols["kmask"][i] or NO_KIND
    out.doc_sec[d] = cols["sec_index"][i]
    out.report_docs[r].append(d)


def section_table(docs: Documents, values: HeadValues) -> Sections:
    """Part 2: the opening and the sections of every report (from its head's slots and weak column and its
    section documents' kinds)."""
    sec_addr, sec_body, sec_mask, sec_doc, sec_index, sec_end = [-1], [-1], [NO_KIND], [-1], [-1], [-1]
    starts_of: list[array] = []
    for r, report_docs in enumerate(docs.report_docs):
        pairs = values.slots.get(r, array("i"))
        starts, bodies = pairs[0::2], pairs[1::2]
        starts_of.append(starts)
        masks = [int(docs.doc_mask[d]) for d in report_docs if docs.doc_sec[d] >= 0]
        head = report_docs[0] << SHIFT
        k = min(len(starts), len(bodies), len(masks))
        length = unpack_weak(values.weak.get(r, b""))[0]
        ends = [*starts[1:k], max(length, starts[k - 1] if k else 0)] if k else []
        sec_addr.extend([head, *(head | s for s in starts[:k])])
        sec_body.extend([head, *(head | b for b in bodies[:k])])
        sec_mask.extend([NO_KIND, *masks[:k]])
        sec_doc.extend([report_docs[0]] * (k + 1))
        sec_index.extend(range(-1, k))
        sec_end.extend([head | (starts[0] if k else length), *(head | e for e in ends)])
    addr = np.array(sec_addr, dtype=np.int64)
    order = np.argsort(addr, kind="stable")
    length = np.maximum(np.array(sec_end, dtype=np.int64) - addr, 0)
    return Sections(starts_of, addr[order], np.array(sec_body, dtype=np.int64)[order],
                    np.array(sec_mask, dtype=np.uint8)[order], np.array(sec_doc, dtype=np.int64)[order],
                    np.array(sec_index, dtype=np.int64)[order], length[order])


def weak_table(docs: Documents, values: HeadValues) -> Weak:
    """Part 2: every report's weak spans as addresses, sorted."""
    start, end, kind = [], [], []
    for r, report_docs in enumerate(docs.report_docs):
        head = report_docs[0] << SHIFT
        for a, b, k in unpack_weak(values.weak.get(r, b""))[1]:
            start.append(head | a)
            end.append(head | b)
            kind.append(k)
    order = np.argsort(np.array(start, dtype=np.int64), kind="stable")
    return Weak(np.array(start, dtype=np.int64)[order], np.array(end, dtype=np.int64)[order],
                np.array(kind, dtype=np.int8)[order])


def facet_codes(reports: list[dict]) -> tuple[dict[str, np.ndarray], dict[str, list]]:
    """Part 3: per metadata field, each report's value as a code into its sorted values (-1: no value)."""
    codes: dict[str, np.ndarray] = {}
    labels: dict[str, list] = {}
    for name in META:
        values = [meta[name] for meta in reports]
        labels[name] = sorted({v for v in values if v is not None}, key=str)
        index = {v: i for i, v in enumerate(labels[name])}
        codes[name] = np.array([index.get(v, -1) for v in values], dtype=np.int64)
    return codes, labels


def year_rank(reports: list[dict]) -> np.ndarray:
    """Part 4: per report, its place in the default order (newest year first, then file name)."""
    by_year = sorted(range(len(reports)), key=lambda r: (-(reports[r]["year"] or 0), reports[r]["file"]))
    rank = np.empty(len(reports), dtype=np.int64)
    rank[by_year] = np.arange(len(reports))
    return rank
