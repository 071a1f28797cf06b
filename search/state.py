"""Index state (read side, opening a generation): one open generation and everything cached about it.

The searcher and its reader, the columns (``search.columns``, mapped from the generation's column file
``search.columnfile`` when it has one), the gram files (``search.grams``), the word files (``search.words``,
opened on first use by ``words``), the fingerprint files (``search.fingerprints``, opened on first use by
``print_files``) and four caches that live as
long as the generation: term answers (``search.matching``), term statistics (``search.ranking``), stored texts
(``search.storedtexts``) and result pages (``search.resultcache``). ``search.engine`` swaps states when the index changes; a state is locked by its one
reader for the duration of a search, which also sets its deadline.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

import numpy as np

from search import columns
from search.columnfile import ColumnFileError
from search.fingerprints import PrintFile, PrintFileError
from search.fingerprints import path_for as print_path
from search.grams import GramFile, GramFileError, GramPostings
from search.grams import path_for as gram_path
from search.matching import LOCATED_CACHE, located_bytes
from search.query import QueryError
from search.resultcache import MAX_BYTES, MAX_ENTRIES, MAX_PAGE_BYTES, MAX_PAGES, ResultCache, result_bytes
from search.schema import REBUILD_HINT, IndexFormatError, current_generation, open_index_path, segment_readers
from search.storedtexts import StoredTexts
from search.words import WordFile, WordFileError, WordStore
from search.words import path_for as word_path

TIMEOUT_MESSAGE = "查询过于复杂，未能在时限内完成，已停止：请缩短检索词或减少检索词的数量"


class QueryTimeout(QueryError):
    """A search that ran past the engine's time limit (it is stopped, not left running)."""


class IndexState:
    """One opened index generation: searcher, per-document columns, per-report metadata, gram files,
    caches. Reports are ordinals 0..R-1; term answers and result sets are numpy arrays over them."""

    deadline = math.inf  # set for the duration of one search (the state is locked by its reader)

    def __init__(self, index_dir):
        self.ix, self.path = open_index_path(index_dir)
        self.generation = current_generation(index_dir)
        self.version = self.ix.latest_generation()
        self.searcher = self.ix.searcher()
        self.reader = self.searcher.reader()
        self.lock = threading.RLock()
        self.closed = False
        self.leaves: OrderedDict = OrderedDict()  # term answers (search.matching)
        self.universes: dict[int, np.ndarray] = {}  # reports holding each kind mask (search.matching)
        # terms' match addresses and sections (search.matching.located)
        self.located = ResultCache(math.inf, LOCATED_CACHE, located_bytes)
        self.term_stats: OrderedDict = OrderedDict()  # terms' matches by section (search.ranking)
        self.term_stats_bytes = 0  # what they hold
        self.results = ResultCache(MAX_ENTRIES, MAX_BYTES, result_bytes)  # result pages (search.engine)
        self.pages = ResultCache(MAX_PAGES, MAX_PAGE_BYTES, len)  # what callers made of it (Engine.memo: web pages)
        self.gram_files: list[tuple[GramFile, int]] = []
        self._print_files: list[tuple[PrintFile, int]] | None = None
        self._words: WordStore | None = None
        try:
            self._open_columns()
            self.gram_files = self._segment_files(GramFile, gram_path, GramFileError)
        except BaseException:
            self.close()
            raise
        self.texts = StoredTexts(self.searcher, self.columns)  # stored fields and folded texts (search.hits)
        # no deleted report in this generation: a gram's addresses need no check that their report is live
        self.all_live = bool((self.columns.doc_report >= 0).all())

    def _open_columns(self) -> None:
        try:
            self.columns = columns.open_columns(self.reader, self.path, self.version)
        except ColumnFileError as e:
            raise IndexFormatError(f"index {self.path}: {e}; {REBUILD_HINT}") from None

    def _segment_files(self, opener, path_for, error) -> list[tuple]:
        """Each segment's file of one kind (``opener`` of ``path_for(index, segment id)``) with its docnum base;
        one that cannot be read (``error``) closes those opened and raises ``IndexFormatError``."""
        files = []
        try:
            for sub, base in segment_readers(self.reader):
                files.append((opener(path_for(self.path, sub.segment().segment_id())), base))
        except error as e:
            for f, _ in files:
                f.close()
            raise IndexFormatError(f"index {self.path}: {e}; {REBUILD_HINT}") from None
        return files

    def print_files(self) -> list[tuple[PrintFile, int]]:
        """Each segment's fingerprint file and docnum base (opened on first use: only copy detection reads them)."""
        with self.lock:
            if self._print_files is None:
                self._print_files = self._segment_files(PrintFile, print_path, PrintFileError)
            return self._print_files

    def words(self) -> WordStore:
        """The segments' word files as one words field (opened on first use: only related sections and
        did-you-mean read them)."""
        with self.lock:
            if self._words is None:
                self._words = WordStore(self._segment_files(WordFile, word_path, WordFileError),
                                        self.reader.doc_count_all())
            return self._words

    @property
    def size(self) -> int:
        """The number of reports."""
        return len(self.columns.reports)

    def none(self) -> np.ndarray:
        """Per report: no kinds (an empty term answer)."""
        return np.zeros(self.size, dtype=np.uint8)

    def postings(self, key: int) -> GramPostings:
        self.check_deadline()
        return GramPostings(self.gram_files, key)

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise QueryTimeout(TIMEOUT_MESSAGE)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.searcher.close()
            for gf, _ in self.gram_files:
                gf.close()
            for pf, _ in self._print_files or ():
                pf.close()
            if self._words is not None:
                self._words.close()
