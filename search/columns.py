"""Columns (read side, opening a generation): the index's per-document columns → arrays over reports.

Read once per index generation by ``load``, in five parts:
1. ``read_documents``: each live document's report, kinds and section index; each report's metadata and
   section positions from its head document. Reports are ordinals 0..R-1, in index order.
2. ``section_table``: every section of the index ordered by address (head docnum << SHIFT | position), so a
   match's address finds its section (kinds, heading) with one searchsorted (``search.matching``).
3. ``facet_codes``: per facet field, each report's value as a code into the sorted values (one bincount
   per facet, ``search.facets``).
4. ``year_rank``: the default order (newest year first, then file name) as one rank per report.
5. ``search.ranking.length_norms``: BM25 length normalization per head document and ranking field.

The build saves what ``load`` returns in the generation's column file (``search.columnfile``, see ``save``);
``open_columns`` maps it from there and falls back to ``load`` where there is none for the open reader.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from search import columnfile, ranking
from search.grams import SHIFT
from search.schema import FACET_FIELDS, NO_KIND

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
    slots: dict[int, array]  # report → section start/body-start positions, pairs


@dataclass
class Sections:
    """Part 2: every section of the index, ordered by address; a first sentinel (docnum -1) is what a match
    before its report's first section finds."""

    starts: list[array]  # per report: exact-text positions where its sections start
    addr: np.ndarray  # section start addresses, sorted
    body: np.ndarray  # addresses where their bodies start (after the heading)
    mask: np.ndarray  # their kind bits
    doc: np.ndarray  # the head docnum of their report


@dataclass
class Columns(Documents):
    """Everything the read side keeps in memory about one generation: the documents (part 1) and what
    parts 2–5 derive from them."""

    heads: np.ndarray  # per report: its head docnum
    report_mask: np.ndarray  # per report: OR of its documents' kind bits
    sections: Sections
    codes: dict[str, np.ndarray]  # per facet field: per report, the code of its value (-1: none)
    labels: dict[str, list]  # per facet field: the values, sorted (by str); a code indexes this list
    year_rank: np.ndarray  # per report: its place in the default order
    norms: dict[str, np.ndarray]  # per ranking field: per docnum, K1 × BM25 length normalization


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
    code that computes them (this module, and ``search.ranking`` for the norms)."""
    layout = [f.name for f in fields(Columns)] + [f.name for f in fields(Sections)]
    return [columnfile.reader_key(reader), layout, _code_hash()]


_CODE_HASH: list[str] = []


def _code_hash() -> str:
    if not _CODE_HASH:
        h = hashlib.blake2b(digest_size=8)
        for module in (__file__, ranking.__file__):
            h.update(Path(module).read_bytes())
        _CODE_HASH.append(h.hexdigest())
    return _CODE_HASH[0]


def load(reader) -> Columns:
    """The columns of an open Whoosh reader (one generation), in the five parts of the module docstring."""
    docs = read_documents(reader)
    heads = np.array([d[0] for d in docs.report_docs], dtype=np.int64)
    report_mask = np.zeros(len(docs.reports), dtype=np.uint8)
    live = docs.doc_report >= 0
    np.bitwise_or.at(report_mask, docs.doc_report[live], docs.doc_mask[live].astype(np.uint8))
    codes, labels = facet_codes(docs.reports)
    return Columns(**vars(docs), heads=heads, report_mask=report_mask, sections=section_table(docs), codes=codes,
                   labels=labels, year_rank=year_rank(docs.reports),
                   norms=ranking.length_norms(reader, heads, reader.doc_count_all()))


def read_documents(reader) -> Documents:
    """Part 1: one pass over each segment's columns; a report's documents sorted by section index."""
    n = reader.doc_count_all()
    out = Documents([], [], {}, np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64),
                    np.zeros(n, dtype=np.int64), {})
    for sub, base in reader.leaf_readers():
        cols = {name: list(sub.column_reader(name)) for name in ("report_id", "kmask", "sec_index", "slots") + META}
        live = set(sub.all_doc_ids())
        for i, rid in enumerate(cols["report_id"]):
            if i in live:
                _add_document(out, cols, i, base + i, rid)
    for docs in out.report_docs:
        docs.sort(key=lambda d: out.doc_sec[d])
    return out


def _add_document(out: Documents, cols: dict, i: int, d: int, rid: str) -> None:
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
        out.slots[r] = array("i", cols["slots"][i] or b"")
    out.doc_report[d] = r
    out.doc_mask[d] = cols["kmask"][i] or NO_KIND
    out.doc_sec[d] = cols["sec_index"][i]
    out.report_docs[r].append(d)


def section_table(docs: Documents) -> Sections:
    """Part 2: the sections of every report (from its head's slots and its section documents' kinds)."""
    sec_addr, sec_body, sec_mask, sec_doc = [-1], [-1], [NO_KIND], [-1]
    starts_of: list[array] = []
    for r, report_docs in enumerate(docs.report_docs):
        pairs = docs.slots.get(r, array("i"))
        starts, bodies = pairs[0::2], pairs[1::2]
        starts_of.append(starts)
        masks = [int(docs.doc_mask[d]) for d in report_docs if docs.doc_sec[d] >= 0]
        head = report_docs[0] << SHIFT
        k = min(len(starts), len(bodies), len(masks))
        sec_addr.extend(head | s for s in starts[:k])
        sec_body.extend(head | b for b in bodies[:k])
        sec_mask.extend(masks[:k])
        sec_doc.extend([report_docs[0]] * k)
    order = np.argsort(np.array(sec_addr, dtype=np.int64), kind="stable")
    return Sections(starts_of, np.array(sec_addr, dtype=np.int64)[order], np.array(sec_body, dtype=np.int64)[order],
                    np.array(sec_mask, dtype=np.uint8)[order], np.array(sec_doc, dtype=np.int64)[order])


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
