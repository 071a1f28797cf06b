"""Index schema (shared contract of the write and read sides): fields, format version, open/create.

One Whoosh document per section, plus one (the *head*) for the report's title, agency and preamble
(the text before the first heading); the title is indexed and stored on the head only, so a title
match counts once per report. Each section document holds the section's *own* text: from its heading to
its first sub-section (or its end), so the documents of a report partition its text exactly once.
The report id is on each document; the other report-level fields (agency, place, level, sector, year,
publish date) are on the head only.

Fields:
- the exact grams (unigrams + in-run bigrams, see ``search.analysis``) of each report's *exact text*
  (title, agency and the whole text) and of its title are not a Whoosh field: they sit beside each
  segment in a gram file (``search.grams``), written from ``gram_source``. ``slots`` (a column on the
  head): the exact-text positions where each section and its body start, so a match's position gives
  its section (kinds, heading scope); sentence/paragraph breaks are grams of their own (同句/同段).
  ``weak`` (a column on the head): the exact text's length and its weak spans (``search.weakspans``), in
  the same positions, for ranking sections.
- the jieba words of each report (``word_source``) are not a Whoosh field either: they sit beside each segment
  in a word file (``search.words``), for related sections (``search.related``) and the did-you-mean vocabulary
  (``search.suggest``). Ranking needs no words: sections are scored from the gram positions
  (``search.ranking``); titles and headings are searched as exact grams.
- facet fields as columns (``sortable``) so the read side loads them per document quickly;
  ``kmask`` = bit set of the section's kinds (of its level-1 ancestor), ``NO_KIND`` when none.
- stored: text, heading path, level, kinds, offsets for the report page and snippets, and the report's
  metadata: each document's (``STORED_FIELDS``), all on the head as one list, written as JSON (a pickle where
  a value is not JSON) and zstd-compressed in a bytes column (``docs``: ``pack_report``, read back by
  ``StoredReports``; Whoosh's own stored fields pickle with protocol 2, which doubles bytes, and inflate zlib at
  half zstd's speed).

Layout: ``INDEX_DIR/CURRENT`` names the live generation subdirectory (a Whoosh index); without
CURRENT, INDEX_DIR itself may be a Whoosh index. ``reports_format.json`` beside the Whoosh files
holds ``FORMAT_VERSION``.
"""

from __future__ import annotations

import json
import pickle
from array import array
from bisect import bisect_left
from pathlib import Path

import orjson
import whoosh.index
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, NUMERIC, Schema
from whoosh.filedb.filestore import FileStorage

from search import compression
from search.analysis import normalize, normalize_text, paragraph_base, paragraph_starts, word_list
from search.grams import slots_at
from search.weakspans import INTRO
from search.weakspans import pack as pack_weak
from search.weakspans import spans as weak_spans

# 8: fingerprint files (search.fingerprints) beside the gram files; 9: the ``weak`` column (search.weakspans:
# the text's length and its weak spans, so ranking scores sections from the index without reading their text);
# 10: each report's metadata evidence (``evidence``, stored on the head document) for the report page;
# 11: gram positions delta-encoded and compressed in blocks (search.grams, RGRAMS04);
# 12: all of these together (the branches that added them were merged);
# 13: each section's paragraph base (offsets ``para``: its snippets' paragraph numbers without the whole report);
# 14: a gram's groups as one compressed record per key and chunk (search.grams, RGRAMS05);
# 15: a report's stored fields as one value on its head document (``docs``, ``stored_report``);
# 16: a gram file's per-key offsets and per-block starts as u4 (search.grams, table version 4), and fingerprint
#     files with reports' ordinals and positions in u2 where they fit (search.fingerprints, RPRINT02);
# 17: a report's stored fields zstd-compressed in a bytes column (``docs``, ``StoredReports``); ``doc_id`` stored
#     only, and no ``title``/``rheadings`` words (nothing searched them); gram files' records and blocks zstd- instead
#     of LZ4-compressed (search.gramcodec, table version 5); a report's words in word files (search.words), not
#     the ``rwords`` field; the columns read whole without per-document offsets, ``kmask`` one byte
# 18: a report's stored fields written by orjson (read 1.8x faster than unpickled), pickled only where a value is
#     not JSON; the first byte says which (``pack_report``)
FORMAT_VERSION = 18
FORMAT_FILE = "reports_format.json"
CURRENT_FILE = "CURRENT"

# The kinds a level-1 section may carry (labels, see the parser); bit i of ``kmask`` = KINDS[i].
KINDS = ("举措成效", "问题不足", "第一责任人", "下年安排", "其他")
NO_KIND = 1 << len(KINDS)  # title/preamble documents and sections without a kind
ALL_KINDS = (1 << (len(KINDS) + 1)) - 1

# The facets: the report-level columns first (the one list of their names), then the year and the section kind.
FACET_FIELDS = ("province", "city", "county", "agency", "level", "sector")
VALUE_FACETS = FACET_FIELDS + ("kind",)  # filtered by a list of values (the year by a range)
FACETS = FACET_FIELDS + ("year", "kind")  # a search result's facets, in its order
# A report's metadata evidence (``evidence`` on the head document): field → {"source", "text"[, "uncertain"]},
# ``source`` one of EVIDENCE_SOURCES; a field resting on a WEAK_SOURCES source (or marked uncertain) is a guess.
EVIDENCE_FIELDS = ("agency", "province", "city", "county", "level", "sector", "year", "publish_date")
EVIDENCE_SOURCES = ("title", "signature", "metadata_block", "body", "cited_title", "slogan", "doc_number", "url",
                    "metadata_file", "inferred")
WEAK_SOURCES = ("inferred",)


def uncertain(evidence: dict | None) -> bool:
    """Does this field's evidence (``{"source", "text"[, "uncertain"]}``) leave it a guess?"""
    return bool(evidence) and (evidence.get("source") in WEAK_SOURCES or bool(evidence.get("uncertain")))


BUILD_HINT = "build it with: reports-index build CORPUS --index-dir {dir}"
REBUILD_HINT = "rebuild it with: reports-index build CORPUS --index-dir DIR --rebuild"


class IndexMissingError(Exception):
    """There is no index at the given directory."""


class IndexFormatError(Exception):
    """The index on disk was written by an incompatible version of this program."""


def _scanned() -> VarBytesColumn:
    """A bytes column read whole, in order (``search.columns``, ``indexer.build.gramfiles``), never by docnum:
    without Whoosh's per-document offsets (4 bytes a document, most of a column of the head documents' values)."""
    return VarBytesColumn(allow_offsets=False)


def make_schema() -> Schema:
    return Schema(
        report_id=ID(sortable=_scanned()),
        sec_index=COLUMN(NumericColumn("i")),
        kmask=COLUMN(NumericColumn("B")),
        agency=ID(sortable=_scanned()),
        province=ID(sortable=_scanned()),
        city=ID(sortable=_scanned()),
        county=ID(sortable=_scanned()),
        level=ID(sortable=_scanned()),
        sector=ID(sortable=_scanned()),
        year=NUMERIC(int, sortable=True),
        docs=COLUMN(),  # read by docnum (``StoredReports``)
        slots=COLUMN(_scanned()),
        weak=COLUMN(_scanned()),
    )


SCHEMA = make_schema()
# What a document keeps of its fields (``StoredReports`` hands them back): all on the head document, as one list
# for the whole report (``docs``: head first, then the sections in order), compressed as one value; each section
# document stores nothing. Per document, zlib'd apart, they were 1.3× the text (at 10k reports).
STORED_FIELDS = ("doc_id", "report_id", "title", "agency", "province", "city", "county", "level", "sector", "year",
                 "publish_date", "doc_date", "source_url", "evidence", "heading", "path", "sec_level", "kinds",
                 "offsets", "text")
_INDEXED = frozenset(SCHEMA.names()) - {"docs"}
# zstd level of a report's stored fields: at 10k reports ~7% smaller than Whoosh's zlib-3 in about its time to
# write, and read in ~55 µs against ~95 µs (higher levels gain ~7% more for 3× the time to write)
STORED_LEVEL = 9
STORED_JSON, STORED_PICKLE = b"J", b"P"  # the first byte of a report's stored fields: how they are written


def kind_mask(kinds) -> int:
    mask = 0
    for k in kinds or ():
        mask |= 1 << (KINDS.index(k) if k in KINDS else KINDS.index("其他"))
    return mask or NO_KIND


# --------------------------------------------------------------------------------------------------
# Documents


def _section_slots(exact: str, base: int, sections: list[dict]) -> bytes:
    """Exact-field positions where each section starts and where its heading ends, packed as int32
    pairs: a match's position tells which section (and so which kinds) and whether it is in a heading."""
    norm, offsets = normalize(exact)
    chars = [base + c for s in sections for c in (s["start"], s["body_start"])]
    if offsets is not None:  # original → normalized offsets
        chars = [bisect_left(offsets, c) for c in chars]
    return array("i", slots_at(norm, chars)).tobytes()


def _intro_spans(sections: list[dict], slots: array) -> list[tuple[int, int, int]]:
    """The own text of each section that has sub-sections (from its heading's end to its first child, in
    exact-field positions): the overview paragraph that names what the sub-sections then say."""
    out = []
    for i in range(len(sections) - 1):
        if sections[i + 1].get("parent") == i and slots[2 * i + 1] < slots[2 * i + 2]:
            out.append((slots[2 * i + 1], slots[2 * i + 2], INTRO))
    return out


def _heading_path(sections: list[dict], i: int) -> list[str]:
    path = []
    seen = set()
    j = i
    while j is not None and j not in seen and 0 <= j < len(sections):
        seen.add(j)
        path.append(sections[j]["heading"])
        j = sections[j].get("parent")
    return path[::-1]


def _top_ancestor(sections: list[dict], i: int) -> int:
    seen = set()
    while sections[i].get("parent") is not None and i not in seen:
        seen.add(i)
        i = sections[i]["parent"]
    return i


def section_documents(report: dict) -> list[dict]:
    """The Whoosh documents for one report (``Report.to_dict()``): title/preamble doc + one per section."""
    text = report.get("text") or ""
    sections = report.get("sections") or []
    rid = report["file"]
    common = {"report_id": rid}
    meta = {}  # report-level fields: on the head document only (fewer postings; read per report)
    for name in FACET_FIELDS + ("publish_date",):
        if report.get(name):
            meta[name] = str(report[name])
    if report.get("year"):
        meta["year"] = int(report["year"])
    title = report.get("title") or ""
    agency = report.get("agency") or ""

    starts = [s["start"] for s in sections]
    paras = paragraph_starts(text)
    first = starts[0] if sections else len(text)
    preamble = text[:first]
    exact = exact_text(title, agency, text)
    slots = _section_slots(exact, len(exact) - len(text), sections)
    head = {
        **common,
        **meta,
        "doc_id": f"{rid}#0",
        "title": title,
        "sec_index": -1,
        "kmask": NO_KIND,
        "heading": "",
        "path": [],
        "sec_level": 0,
        "kinds": [],
        "offsets": {"index": -1, "start": 0, "end": first, "body_start": 0, "own_start": 0,
                    "own_end": first, "parent": None, "para": paragraph_base(paras, 0)},
        "text": preamble,
        "slots": slots,
        "weak": pack_weak(*weak_spans(exact, _intro_spans(sections, array("i", slots)))),
    }
    for name in ("doc_date", "source_url", "evidence"):
        if report.get(name):
            head[name] = report[name]
    docs = [head]
    for i, sec in enumerate(sections):
        own_end = starts[i + 1] if i + 1 < len(sections) else len(text)
        own_end = max(own_end, sec["start"])
        own = text[sec["start"] : own_end]
        kinds = sections[_top_ancestor(sections, i)].get("kinds") or []
        docs.append({
            **common,
            "doc_id": f"{rid}#{i + 1}",
            "sec_index": i,
            "kmask": kind_mask(kinds),
            "heading": sec["heading"],
            "path": _heading_path(sections, i),
            "sec_level": sec["level"],
            "kinds": list(kinds),
            "offsets": {"index": i, "start": sec["start"], "end": sec["end"], "body_start": sec["body_start"],
                        "own_start": sec["start"], "own_end": own_end, "parent": sec.get("parent"),
                        "para": paragraph_base(paras, sec["start"])},
            "text": own,
        })
    head["words"] = word_source(docs)
    return docs


def word_source(docs: list[dict]) -> list[str]:
    """A report's jieba words (``search.words``) from its documents (as made by ``section_documents`` or as
    stored: head first, then sections in order): its agency and preamble, then each section's own text, each
    segmented apart."""
    head = docs[0]
    texts = ["\n".join(x for x in (head.get("agency") or "", head.get("text") or "") if x)]
    texts += [d.get("text") or "" for d in docs[1:]]
    return [w for text in texts for w in word_list(normalize_text(text))]


def whoosh_documents(docs: list[dict]) -> list[dict]:
    """What Whoosh is given for one report's documents (``section_documents``): each one's indexed fields and
    columns, and on the head every document's stored fields (``STORED_FIELDS``) as one list."""
    out = [{k: v for k, v in d.items() if k in _INDEXED} for d in docs]
    if out:
        out[0]["docs"] = pack_report([{k: d[k] for k in STORED_FIELDS if k in d} for d in docs])
    return out


def pack_report(stored: list[dict]) -> bytes:
    """The ``docs`` column value of a report's head document: its documents' stored fields, zstd-compressed JSON
    (``orjson``: read in ~55% of unpickling's time; the fields are strings, numbers, lists and dicts) after the byte
    ``STORED_JSON``, or a pickle after ``STORED_PICKLE`` where a value is not JSON (a lone surrogate, a key that
    is no string)."""
    try:
        data = STORED_JSON + orjson.dumps(stored)
    except orjson.JSONEncodeError:
        data = STORED_PICKLE + pickle.dumps(stored, protocol=5)
    return compression.compress(data, STORED_LEVEL)


def unpack_report(value: bytes) -> list[dict]:
    """``pack_report``'s stored fields back."""
    data = memoryview(compression.decompress(value))
    return orjson.loads(data[1:]) if data[:1] == STORED_JSON else pickle.loads(data[1:])


class StoredReports:
    """A report's documents' stored fields (head first, then its sections in order) by its head's docnum, over
    one reader (a segment's, the whole index's, or a searcher's): the column reader is made once, so make one
    of these per reader and read many reports with it. Thread-safe."""

    def __init__(self, reader):
        reader = getattr(reader, "ixreader", reader)  # a searcher's reader
        self._column = reader.column_reader("docs") if reader.has_column("docs") else None

    def __call__(self, head: int) -> list[dict]:
        value = self._column[head] if self._column is not None else b""
        if not value:
            return []
        return unpack_report(value)


def exact_text(title: str, agency: str, text: str) -> str:
    """What the exact grams of a report are taken from (positions count from its start)."""
    return "\n".join((title or "", agency or "", text or ""))


def gram_source(docs: list[dict], slots: bytes, kmasks: list[int]) -> dict:
    """The arguments of ``search.grams.GramWriter.add`` for one report, from its documents (as made by
    ``section_documents`` or as stored: head first, then sections in order), the head's ``slots`` column
    and the sections' ``kmask`` column values."""
    head = docs[0]
    text = "".join(d.get("text") or "" for d in docs)
    starts = array("i", slots or b"")[0::2]
    return {"exact": exact_text(head.get("title"), head.get("agency"), text), "title": head.get("title") or "",
            "section_starts": list(starts), "section_masks": list(kmasks), "before_mask": NO_KIND,
            "title_mask": ALL_KINDS}


# --------------------------------------------------------------------------------------------------
# Index directories


BLOCK_LIMIT = 8192  # postings per Whoosh block (default 128): ranking reads whole lists, block by block


def writer(ix, **kwargs):
    """A Whoosh writer for our index: bigger posting blocks (fewer per-block calls when reading them)."""
    from whoosh.codec.whoosh3 import W3Codec

    return ix.writer(codec=W3Codec(blocklimit=BLOCK_LIMIT), **kwargs)


def segment_readers(reader):
    """(segment reader, docnum base) of each segment of an open reader. An index without any segment (built
    from an empty corpus) reads as one empty reader with no segment and no columns: it yields nothing."""
    for sub, base in reader.leaf_readers():
        if sub.segment() is not None:
            yield sub, base


def create_index(path) -> whoosh.index.Index:
    """A fresh, empty index of our schema in directory ``path`` (created if needed)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh.index.create_in(str(path), SCHEMA)
    (path / FORMAT_FILE).write_text(json.dumps({"format_version": FORMAT_VERSION}), encoding="utf-8")
    return ix


def resolve_index_dir(index_dir) -> Path:
    """The directory holding the live Whoosh index (CURRENT generation, or INDEX_DIR itself)."""
    index_dir = Path(index_dir)
    hint = BUILD_HINT.format(dir=index_dir)
    current = index_dir / CURRENT_FILE
    if current.is_file():
        name = current.read_text(encoding="utf-8").strip()
        gen = index_dir / name
        if not name or not gen.is_dir():
            raise IndexMissingError(f"index {index_dir}: CURRENT names missing generation {name!r}; {hint}")
        return gen
    if index_dir.is_dir() and whoosh.index.exists_in(str(index_dir)):
        return index_dir
    raise IndexMissingError(f"no index at {index_dir}; {hint}")


def current_generation(index_dir) -> str | None:
    """Content of CURRENT (None without one): the engine reopens when it changes."""
    try:
        return (Path(index_dir) / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def check_format(path) -> None:
    try:
        found = json.loads((Path(path) / FORMAT_FILE).read_text(encoding="utf-8"))["format_version"]
    except (OSError, ValueError, KeyError, TypeError):
        raise IndexFormatError(f"index {path} has no readable format version (expected "
                               f"{FORMAT_VERSION}); {REBUILD_HINT}") from None
    if found != FORMAT_VERSION:
        raise IndexFormatError(f"index {path} has format {found}, this program reads format "
                               f"{FORMAT_VERSION}; {REBUILD_HINT}")


def open_index(index_dir) -> whoosh.index.Index:
    """Open the live index under ``index_dir`` with our schema, after checking its format version."""
    path = resolve_index_dir(index_dir)
    check_format(path)
    return whoosh.index.open_dir(str(path), schema=SCHEMA)


def open_index_path(index_dir) -> tuple[whoosh.index.Index, Path]:
    path = resolve_index_dir(index_dir)
    check_format(path)
    # Without mmap: Whoosh wraps a mapped file in BytesIO (filedb/structfile.py BufferFile), a heap copy of
    # every file it opens, so a server would hold the whole index in memory (1.7 GB at 10k reports).
    return FileStorage(str(path), supports_mmap=False).open_index(schema=SCHEMA), path
