"""Stored texts (read side, making hits): documents' stored fields, folded text and sentences, per generation.

A report's documents' fields are one stored value on its head document (``search.schema.StoredReports``): the
last reports read are kept decoded (``REPORTS_KEPT``, at most ``REPORTS_BYTES``), so the sections of one hit cost
one read and a report shown again (the next page of related queries, a filter changed) costs none.

A result page reads the stored fields of the sections it lists (``search.hits``), folds their text for
``search.snippets.match_spans``, cuts it into sentences for the snippets and finds its paragraphs' starts
(each snippet's ``#p-N``), and the report page reads reports whole (``search.engine.Engine.report``); the
next page often lists many of
the same sections (the same reports answer related queries, a user pages on or exports). Each
``search.state.IndexState`` holds one ``StoredTexts``, so it lives and dies with its generation (never a text of
another generation). Bounded by the bytes its entries hold (text, folded text, offsets, sentence bounds), least
recently used first out; entries are shared and read-only. Thread-safe.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict

from search.analysis import normalize, paragraph_starts, sentence_spans
from search.resultcache import ResultCache
from search.schema import StoredReports

REPORTS_KEPT = 256  # reports kept decoded (a hit reads its head and sections one after the other)
REPORTS_BYTES = 8_000_000  # what they hold at most, estimated (``report_bytes``)
MAX_BYTES = 12_000_000  # of the entries' texts and arrays (the server's memory budget is 300 MB a process)
BYTES_PER_CHAR = 9  # what an entry may hold per character of its text (counted when it is read)


class StoredText:
    """One document's stored fields and, made on first use, its text folded (``folded``:
    ``search.analysis.normalize``'s folded text and offsets or None), its sentences (``sentences``:
    ``search.analysis.sentence_spans`` as two arrays, starts and ends) and its paragraphs' starts
    (``paragraphs``: ``search.analysis.paragraph_starts``). The report page reads only the fields."""

    __slots__ = ("fields", "text", "_folded", "_sentences", "_paragraphs", "nbytes")

    def __init__(self, fields: dict):
        self.fields = fields
        self.text = fields.get("text") or ""
        self._folded = self._sentences = self._paragraphs = None
        # held at most: the text and its fold at 2 bytes a Chinese character, offsets at 4, sentence bounds ~1
        self.nbytes = 256 + BYTES_PER_CHAR * len(self.text)

    @property
    def folded(self) -> tuple[str, array | None]:
        if self._folded is None:
            norm, offsets = normalize(self.text)
            self._folded = (norm, None if offsets is None else array("i", offsets))
        return self._folded

    @property
    def sentences(self) -> tuple[array, array]:
        if self._sentences is None:
            spans = sentence_spans(self.text)
            self._sentences = (array("i", [s for s, _ in spans]), array("i", [e for _, e in spans]))
        return self._sentences

    @property
    def paragraphs(self) -> array:
        if self._paragraphs is None:
            self._paragraphs = array("i", paragraph_starts(self.text))
        return self._paragraphs


def report_bytes(docs: list[dict]) -> int:
    """What a decoded report holds, estimated: its texts at 2 bytes a Chinese character, and per document its dict."""
    return sum(1_500 + 2 * len(d.get("text") or "") for d in docs)


class StoredTexts:
    """An LRU of ``StoredText`` by docnum over one searcher and its generation's columns (``search.columns``:
    each document's report and section)."""

    def __init__(self, searcher, columns, max_bytes: int = MAX_BYTES):
        self.searcher = searcher
        self.columns = columns
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._items: OrderedDict[int, StoredText] = OrderedDict()
        # head docnum → its report's documents' stored fields
        self._reports = ResultCache(REPORTS_KEPT, REPORTS_BYTES, report_bytes)
        self._stored = StoredReports(searcher)
        self._lock = threading.Lock()

    def report(self, r: int) -> list[dict]:
        """Report ``r``'s documents' stored fields, head first, then its sections in order (shared: read only)."""
        head = self.columns.report_docs[r][0]
        docs = self._reports.get(head)
        if docs is None:
            docs = self._stored(head)
            self._reports.put(head, docs)
        return docs

    def get(self, docnum: int) -> StoredText:
        with self._lock:
            item = self._items.get(docnum)
            if item is not None:
                self._items.move_to_end(docnum)
                return item
        cols = self.columns
        item = StoredText(self.report(int(cols.doc_report[docnum]))[int(cols.doc_sec[docnum]) + 1])
        with self._lock:
            if docnum not in self._items:
                self._items[docnum] = item
                self.nbytes += item.nbytes
                while len(self._items) > 1 and self.nbytes > self.max_bytes:
                    self.nbytes -= self._items.popitem(last=False)[1].nbytes
        return item

    def __len__(self) -> int:
        return len(self._items)
