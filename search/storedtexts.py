"""Stored texts (read side, making hits): documents' stored fields, folded text and sentences, per generation.

A result page reads the stored fields of the sections it lists (``search.hits``), folds their text for
``search.snippets.match_spans`` and cuts it into sentences for the snippets; the next page often lists many of
the same sections (the same reports answer related queries, a user pages on or exports). Each
``search.state.IndexState`` holds one ``StoredTexts``, so it lives and dies with its generation (never a text of
another generation). Bounded by the characters held (text, folded text, offsets), least recently used first
out; entries are shared and read-only. Thread-safe.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict

from search.analysis import normalize, sentence_spans

MAX_CHARS = 4_000_000  # about 16 to 32 MB: each character is held as text, folded text and, where they differ, an offset


class StoredText:
    """One document's stored fields, and what hits derive from its text, made on first use."""

    __slots__ = ("fields", "text", "_folded", "_sentences")

    def __init__(self, fields: dict):
        self.fields = fields
        self.text = fields.get("text") or ""
        self._folded = self._sentences = None

    def folded(self) -> tuple[str, array | None]:
        """``search.analysis.normalize`` of the text: (folded text, offsets or None)."""
        if self._folded is None:
            norm, offsets = normalize(self.text)
            self._folded = (norm, None if offsets is None else array("i", offsets))
        return self._folded

    def sentences(self) -> list[tuple[int, int]]:
        """``search.analysis.sentence_spans`` of the text."""
        if self._sentences is None:
            self._sentences = sentence_spans(self.text)
        return self._sentences

    @property
    def chars(self) -> int:
        return 3 * len(self.text) + 64


class StoredTexts:
    """An LRU of ``StoredText`` by docnum over one searcher."""

    def __init__(self, searcher, max_chars: int = MAX_CHARS):
        self.searcher = searcher
        self.max_chars = max_chars
        self.chars = 0
        self._items: OrderedDict[int, StoredText] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, docnum: int) -> StoredText:
        with self._lock:
            item = self._items.get(docnum)
            if item is not None:
                self._items.move_to_end(docnum)
                return item
        item = StoredText(self.searcher.stored_fields(docnum))
        with self._lock:
            if docnum not in self._items:
                self._items[docnum] = item
                self.chars += item.chars
                while len(self._items) > 1 and self.chars > self.max_chars:
                    self.chars -= self._items.popitem(last=False)[1].chars
        return item

    def __len__(self) -> int:
        return len(self._items)
