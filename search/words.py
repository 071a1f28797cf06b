"""Word store (shared contract of the write and read sides): each report's jieba words and their counts, as
arrays, one file per Whoosh segment, beside its gram file.

The words of a report (``search.schema.word_source``: its agency, preamble and sections' own texts,
segmented once) serve the related-sections search (``search.related``: key terms by Whoosh's Bo1 model, then
BM25F over the reports) and the did-you-mean vocabulary (``search.suggest``). As a Whoosh field they cost a
quarter of a build (one Python-level posting per report and word at commit) and a seventh of the index; here
they are written and read as whole arrays, with the statistics Whoosh would keep (document and collection
frequencies counted over every report the file holds, deleted or not, until its segment is merged away):

- a *chunk* holds the words of consecutive reports: its distinct words (sorted, UTF-8, back to back, with
  their offsets), per word its document frequency, its collection frequency and one record of postings (the
  reports' head docnums in the segment and the word's count in each: ``search.gramcodec.encode_groups``,
  without masks), and per report its head docnum and its number of words (the field length);
- ``MAIN_<segment id>.words`` holds a segment's chunks (arrays back to back, a JSON table of them at the end,
  its offset and the magic). Whoosh deletes it with its segment; a segment made by merging has none until
  ``indexer`` writes it (from the stored text, ``word_source`` again).

Reads use ``os.pread``; a server holds each chunk's word list and statistics (opened on the first related or
did-you-mean request, ``search.state.IndexState.words``), never the postings.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections import Counter
from pathlib import Path

import numpy as np
from whoosh.util.numeric import byte_to_length

from search.chunkfile import ChunkWriter, open_table
from search.gramcodec import I8, U1, U4, U8, decode_groups, encode_groups

MAGIC = b"RWORDS01"
SUFFIX = ".words"
VERSION = 1
# Whoosh keeps a field's length per document as one byte: the length each byte stands for
BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=I8)
CHUNK_POSTINGS = 2_000_000  # (word, report) postings per chunk: bounds a writer's memory (~40 MB)


def path_for(index_path, segment_id: str) -> Path:
    return Path(index_path) / f"{segment_id}{SUFFIX}"


class WordWriter(ChunkWriter):
    """Writes one segment's word file: ``add`` each report (its head docnum, ascending, and its words), then
    ``close``; a temporary file until then."""

    MAGIC, VERSION = MAGIC, VERSION

    def __init__(self, path, chunk_postings: int = CHUNK_POSTINGS):
        super().__init__(path)
        self.chunk_postings = chunk_postings
        self._reset()

    def _reset(self) -> None:
        self.vocab: dict[str, int] = {}
        self.ids, self.docs, self.counts = [], [], []
        self.heads, self.lengths = [], []
        self.postings = 0

    def add(self, doc: int, words) -> None:
        counts = Counter(words)
        vocab = self.vocab
        self.ids.append(np.fromiter((vocab.setdefault(w, len(vocab)) for w in counts), dtype=I8, count=len(counts)))
        self.counts.append(np.fromiter(counts.values(), dtype=I8, count=len(counts)))
        self.docs.append(np.full(len(counts), doc, dtype=I8))
        self.heads.append(doc)
        self.lengths.append(sum(counts.values()))
        self.postings += len(counts)
        if self.postings >= self.chunk_postings:
            self._flush()

    def _flush(self) -> None:
        if not self.heads:
            return
        words = list(self.vocab)
        order = sorted(range(len(words)), key=words.__getitem__)
        rank = np.empty(len(words), dtype=I8)
        rank[order] = np.arange(len(words))
        ranks, docs, counts = (np.concatenate(x) if x else np.zeros(0, dtype=I8)
                               for x in ([rank[i] for i in self.ids], self.docs, self.counts))
        by = np.lexsort((docs, ranks))  # by word, then by report
        ranks, docs, counts = ranks[by], docs[by], counts[by]
        starts = np.searchsorted(ranks, np.arange(len(words)))
        encoded = [w.encode("utf-8") for w in (words[i] for i in order)]
        text_at = np.zeros(len(encoded) + 1, dtype=U4)
        np.cumsum([len(b) for b in encoded], out=text_at[1:])
        blob, record_at, codes = encode_groups(docs, counts, None, starts)
        bounds = np.append(starts, len(docs))
        arrays = {
            "text": np.frombuffer(b"".join(encoded), dtype=U1),
            "text_at": text_at,  # per word (and one past the end): where its UTF-8 starts in "text"
            "df": np.diff(bounds).astype(U4),  # per word: the reports holding it
            "cf": (np.add.reduceat(counts, starts) if len(starts) else counts[:0]).astype(U4),  # its count in all
            "record_at": record_at.astype(U8),  # per word (and one past the end): where its postings start
            "codes": codes,  # per word: its record's widths and compression
            "heads": np.array(self.heads, dtype=U4),  # per report: its head docnum
            "lengths": np.array(self.lengths, dtype=U4),  # per report: its number of words
        }
        chunk = {"words": len(words), "reports": len(self.heads)}
        for name, arr in arrays.items():
            chunk[name + "_at"] = self.file.tell()
            chunk[name + "_bytes"] = arr.nbytes
            self.file.write(np.ascontiguousarray(arr).tobytes())
        chunk["postings_at"] = self.file.tell()
        self.file.write(blob)
        self.chunks.append(chunk)
        self._reset()


# --------------------------------------------------------------------------------------------------
# Reading


class WordFileError(Exception):
    """A segment's word file is missing or unreadable."""


class _Chunk:
    """One chunk's word list and statistics (in memory) and where its postings are (on disk)."""

    def __init__(self, wf: "WordFile", c: dict):
        arr = {name: wf.array(c[name + "_at"], c[name + "_bytes"], dtype) for name, dtype in
               (("text", U1), ("text_at", U4), ("df", U4), ("cf", U4), ("record_at", U8), ("codes", U1),
                ("heads", U4), ("lengths", U4))}
        self.text = arr["text"].tobytes()
        self.text_at = arr["text_at"]
        self.n = c["words"]
        if len(self.text_at) != self.n + 1 or len(arr["df"]) != self.n:
            raise WordFileError(f"{wf.path.name}: damaged (its word table does not add up)")
        self.df, self.cf, self.codes = arr["df"], arr["cf"], arr["codes"]
        self.record_at = arr["record_at"]
        self.heads, self.lengths = arr["heads"], arr["lengths"]
        self.postings_at = c["postings_at"]

    def word(self, i: int) -> bytes:
        return self.text[int(self.text_at[i]):int(self.text_at[i + 1])]

    def find(self, word: bytes) -> int:
        """The index of ``word`` (UTF-8) among the chunk's words, -1 when it has none."""
        i = bisect_left(range(self.n), word, key=self.word)
        return i if i < self.n and self.word(i) == word else -1

    def starting(self, prefix: bytes) -> range:
        """The indexes of the chunk's words starting with ``prefix`` (UTF-8)."""
        lo = bisect_left(range(self.n), prefix, key=self.word)
        hi = lo
        while hi < self.n and self.word(hi).startswith(prefix):
            hi += 1
        return range(lo, hi)


class WordFile:
    """One segment's word file: its chunks' word lists and statistics, postings read on demand."""

    def __init__(self, path):
        self.path = Path(path)
        self.fd, chunks = open_table(self.path, MAGIC, VERSION, WordFileError, "word file")
        try:
            self.chunks = [_Chunk(self, c) for c in chunks]
        except (ValueError, KeyError, TypeError) as e:
            os.close(self.fd)
            raise WordFileError(f"{self.path.name}: unreadable ({e})") from None
        except WordFileError:
            os.close(self.fd)
            raise

    def array(self, at: int, nbytes: int, dtype) -> np.ndarray:
        data = os.pread(self.fd, nbytes, at) if nbytes else b""
        if len(data) != nbytes:
            raise WordFileError(f"{self.path.name}: cut short")
        return np.frombuffer(data, dtype=dtype)

    def postings(self, chunk: _Chunk, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Word ``i`` of ``chunk``: the head docnums (in the segment) holding it and its count in each."""
        lo, hi = int(chunk.record_at[i]), int(chunk.record_at[i + 1])
        data = os.pread(self.fd, hi - lo, chunk.postings_at + lo)
        if len(data) != hi - lo:
            raise WordFileError(f"{self.path.name}: cut short")
        docs, counts, _ = decode_groups(data, int(chunk.codes[i]), int(chunk.df[i]), masks=False)
        return docs, counts

    def close(self) -> None:
        os.close(self.fd)


class WordStore:
    """The word files of one generation (each with its segment's docnum base) as one words field: the
    statistics and postings Whoosh's reader gives for a field (``doc_frequency``, ``frequency``,
    ``field_length``, ``postings``, ``expand_prefix``, the lengths its scorer reads: ``scored_lengths``), over
    ``doc_count`` documents."""

    def __init__(self, files: list[tuple[WordFile, int]], doc_count: int):
        self.files = files
        self.doc_count = doc_count
        self._lengths: np.ndarray | None = None
        self._scored: np.ndarray | None = None

    def _found(self, word: str):
        b = word.encode("utf-8")
        for wf, base in self.files:
            for chunk in wf.chunks:
                i = chunk.find(b)
                if i >= 0:
                    yield wf, base, chunk, i

    def doc_frequency(self, word: str) -> int:
        return sum(int(chunk.df[i]) for _, _, chunk, i in self._found(word))

    def frequency(self, word: str) -> int:
        """The word's count over every report."""
        return sum(int(chunk.cf[i]) for _, _, chunk, i in self._found(word))

    def __contains__(self, word: str) -> bool:
        return next(self._found(word), None) is not None

    def postings(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(head docnums in the index, ascending; the word's count in each)."""
        parts = [(docs + base, counts) for wf, base, chunk, i in self._found(word)
                 for docs, counts in (wf.postings(chunk, i),)]
        if not parts:
            return np.zeros(0, dtype=I8), np.zeros(0, dtype=I8)
        return np.concatenate([d for d, _ in parts]), np.concatenate([c for _, c in parts])

    def lengths(self) -> np.ndarray:
        """Per docnum, its number of words (0 for section documents), made once."""
        if self._lengths is None:
            out = np.zeros(self.doc_count, dtype=I8)
            for wf, base in self.files:
                for chunk in wf.chunks:
                    out[chunk.heads.astype(I8) + base] = chunk.lengths
            self._lengths = out
        return self._lengths

    def scored_lengths(self) -> np.ndarray:
        """Per docnum, its length as Whoosh's scorer reads a field's length back: the length its one byte stands
        for (1 for none; ``whoosh.util.numeric``), made once."""
        if self._scored is None:
            lengths = self.lengths()
            byte = np.where(lengths >= BYTE_LENGTHS[-1], 255, np.searchsorted(BYTE_LENGTHS, lengths, side="left"))
            self._scored = np.where(byte == 0, 1, BYTE_LENGTHS[byte]).astype(np.float64)
        return self._scored

    def field_length(self) -> int:
        """The number of words of every report."""
        return sum(int(chunk.lengths.sum(dtype=I8)) for wf, _ in self.files for chunk in wf.chunks)

    def expand_prefix(self, prefix: str) -> list[str]:
        """The words starting with ``prefix``, sorted (by UTF-8, which is code-point order), each once."""
        b = prefix.encode("utf-8")
        found = {chunk.word(i) for wf, _ in self.files for chunk in wf.chunks for i in chunk.starting(b)}
        return [w.decode("utf-8") for w in sorted(found)]

    def close(self) -> None:
        for wf, _ in self.files:
            wf.close()
