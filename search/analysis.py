"""Analysis (shared by index and query time): normalization, exact character grams, jieba words.

Everything that turns text into index terms lives here, so the index builder (``indexer``) and the
query side (``search.query``/``search.engine``) analyse text identically.

- ``normalize(text)`` folds each character on its own: NFKC (full-width → half-width, compatibility
  forms), traditional → simplified (a character table from OpenCC's ``TSCharacters``, never phrase
  conversion, so one character stays one character) and case folding. It returns the normalized
  string and, when lengths differ, a map from normalized offsets back to original offsets.
- Exact matching: normalized text is cut into runs. A *word run* is a maximal run of letters and
  digits; a whitespace run is one separator *slot*; any other character (punctuation, symbols) is a
  slot of its own. Each slot has a position. Every word character is indexed as a unigram and every
  adjacent pair inside a word run as a bigram, both at the position of their first character;
  punctuation is indexed as a unigram, a whitespace run as ``SPACE`` (or ``BREAK`` if it holds a line
  break, so that paragraphs and sentences can be told apart by position). A string is found literally
  iff its grams occur at the same relative positions, and because bigrams never span a separator, a
  term never matches across one. ``grams`` is the reference definition; ``search.grams`` computes the
  same grams with numpy for the index and stores them.
- Words: jieba (accurate mode, never search mode) on normalized text, positions are word ordinals
  (a separator adds a gap), start/end chars are offsets into the original text. jieba is the reference;
  blocks of Han characters only (as jieba cuts text into blocks) go to jieba-rs (``rjieba``: the same
  dictionary, DAG and HMM, ~10× faster, tested to give jieba's tokens), the rest to jieba itself
  (``search.segmenter.cut_words``, with the genre's user dictionary loaded into both).

The tokenizer classes are pickled into the index by Whoosh: keep them at this import path.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

import numpy as np
from whoosh.analysis import Token, Tokenizer

from search.segmenter import BETWEEN, HAN, cut_pieces, cut_words

WORD_RUN = r"[^\W_]+"
SPACE = " "  # the gram of a whitespace run within a line (one slot, whatever its length)
BREAK = "\n"  # the gram of a whitespace run holding a line break: paragraphs end there
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")
SENTENCE_GRAMS = (BREAK, "。", "!", "?", ";")  # after normalization: ！？； fold to !?;
# One alternation scans normalized text once: word run | whitespace run | one other character.
_SLOTS = re.compile(rf"({WORD_RUN})|(\s+)|(.)", re.DOTALL)
_WORD_RUN_RE = re.compile(WORD_RUN)
# Format characters (zero-width space, BOM, soft hyphen…) vanish in normalization: they are invisible
# and would otherwise split words in text copied from web pages.
_DELETE_CATEGORIES = ("Cf",)

# --------------------------------------------------------------------------------------------------
# Normalization


def _t2s_table() -> dict[str, str]:
    import opencc  # opencc-python-reimplemented ships the OpenCC dictionaries as text files

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            trad, simp = parts[0], parts[1].split(" ")[0]
            # Character to character only: keeps offsets aligned.
            if len(trad) == 1 and len(simp) == 1 and trad != simp:
                table[trad] = simp
    return table


def _fold_char(ch: str, t2s: dict[str, str]) -> str:
    if unicodedata.category(ch) in _DELETE_CATEGORIES:
        return ""
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(t2s.get(c, c) for c in out)
    return out.casefold()


_TABLES: tuple[dict[int, str], re.Pattern | None] | None = None
_TABLES_LOCK = threading.Lock()
_LOOKUP: list | None = None
_FOLD_ARRAY: np.ndarray | None = None
FOLD_AT = 256  # characters: a text this long folds through a numpy array (``_fold_codes``), a shorter one translates
_MULTI = 0xFFFFFFFF  # in the fold array: a character whose fold is not one character (never a code point)


def _tables() -> tuple[dict[int, str], re.Pattern | None]:
    """(translate table of every char that changes, regex of chars whose fold is not 1 char)."""
    global _TABLES
    if _TABLES is None:
        with _TABLES_LOCK:
            if _TABLES is None:
                t2s = _t2s_table()
                table: dict[int, str] = {}
                multi = []
                candidates = set(range(0x20, 0x3400)) | set(range(0x4E00, 0xA000))
                candidates |= set(range(0xF900, 0x10000)) | {ord(c) for c in t2s}
                for cp in sorted(candidates):
                    if 0xD800 <= cp < 0xE000:
                        continue
                    ch = chr(cp)
                    folded = _fold_char(ch, t2s)
                    if folded != ch:
                        table[cp] = folded
                        if len(folded) != 1:
                            multi.append(ch)
                pattern = re.compile("[" + "".join(re.escape(c) for c in multi) + "]") if multi else None
                _TABLES = (table, pattern)
    return _TABLES


def _lookup() -> list:
    """The fold table as ``str.translate`` reads it fastest: a list indexed by code point up to the last one
    that changes (each unchanged one maps to itself; past the end, ``IndexError`` leaves a character as it is).
    A dict of the changing ones only makes ``translate`` raise and clear a ``KeyError`` for every other
    character: three times slower over Chinese text."""
    global _LOOKUP
    if _LOOKUP is None:
        table = _tables()[0]
        lookup: list = list(range(max(table) + 1))
        for cp, folded in table.items():
            lookup[cp] = folded
        _LOOKUP = lookup
    return _LOOKUP


def _fold_array() -> np.ndarray:
    """The fold table as a uint32 array indexed by code point up to the last one that changes: each character's
    one-character fold (itself where unchanged), ``_MULTI`` where its fold is not one character."""
    global _FOLD_ARRAY
    if _FOLD_ARRAY is None:
        table = _tables()[0]
        array = np.arange(max(table) + 1, dtype=np.uint32)
        for cp, folded in table.items():
            array[cp] = ord(folded) if len(folded) == 1 else _MULTI
        _FOLD_ARRAY = array
    return _FOLD_ARRAY


def fold_codes(text: str) -> tuple[np.ndarray, np.ndarray | None]:
    """``normalize(text)`` as arrays through ``_fold_array`` (translate is per character: 7x slower over 1,500):
    its code points (uint32) and, where a fold is not one character (…, ﬁ, a deletion), their offsets (or None)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    array = _fold_array()
    inside = codes < len(array)  # past the array's end nothing changes
    folded = array[codes] if inside.all() else np.where(inside, array[np.where(inside, codes, 0)], codes)
    if not len(folded) or int(folded.max()) != _MULTI:
        return folded, None
    multi = np.flatnonzero(folded == _MULTI)
    table = _tables()[0]
    folds = [table[cp] for cp in codes[multi].tolist()]
    lengths = np.ones(len(codes), dtype=np.intp)
    lengths[multi] = [len(f) for f in folds]
    out = np.repeat(folded, lengths)
    at = np.cumsum(lengths) - lengths  # where each character's fold begins in the output
    for start, f in zip(at[multi].tolist(), folds):
        out[start:start + len(f)] = [ord(c) for c in f]
    return out, np.repeat(np.arange(len(codes), dtype=np.int64), lengths)


def _fold_codes(text: str) -> tuple[str, list[int] | None]:
    """``normalize``'s numpy path (``fold_codes``), as strings and lists."""
    folded, at = fold_codes(text)
    return folded.tobytes().decode("utf-32-le", "surrogatepass"), None if at is None else [*at.tolist(), len(text)]


def normalize(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text``; return (normalized, offsets) where ``offsets[i]`` is the original offset of
    normalized character ``i`` (plus one final entry = len(text)), or None when offsets are identical.
    """
    if len(text) >= FOLD_AT:
        return _fold_codes(text)
    multi, table = _tables()[1], _lookup()
    if multi is None or not multi.search(text):
        return text.translate(table), None
    # Between the characters whose fold is not one character, every fold is one character: those runs
    # translate at once and keep their offsets; each other character adds its fold's length of its own.
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in multi.finditer(text):
        i = m.start()
        out.append(text[pos:i].translate(table))
        offsets.extend(range(pos, i))
        folded = table[ord(text[i])]
        out.append(folded)
        offsets.extend([i] * len(folded))
        pos = i + 1
    out.append(text[pos:].translate(table))
    offsets.extend(range(pos, len(text) + 1))
    return "".join(out), offsets


@lru_cache(maxsize=256)
def normalize_text(text: str) -> str:
    """The normalized string only (queries, grep-style comparisons). The last ones are kept: a build folds each
    report's exact text for its weak spans and, after its sections' words, for its grams (a string keeps its
    hash, so asking again costs a comparison)."""
    return normalize(text)[0]


def to_original(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a normalized span [start, end) back to the original text (whole original characters)."""
    if offsets is None:
        return start, end
    if end > start:
        return offsets[start], offsets[end - 1] + 1
    return offsets[start], offsets[start]


# --------------------------------------------------------------------------------------------------
# Exact grams


def grams(norm: str) -> list[tuple[int, str, int, int]]:
    """Exact grams of normalized text: (position, gram, start, end) with normalized offsets."""
    out = []
    pos = 0
    for m in _SLOTS.finditer(norm):
        word, space = m.group(1), m.group(2)
        s = m.start()
        if word is not None:
            n = len(word)
            for i in range(n):
                out.append((pos + i, word[i], s + i, s + i + 1))
                if i + 1 < n:
                    out.append((pos + i, word[i : i + 2], s + i, s + i + 2))
            pos += n
        elif space is not None:
            out.append((pos, _space_gram(space), s, m.end()))
            pos += 1
        else:
            out.append((pos, m.group(3), s, s + 1))
            pos += 1
    return out


def query_grams(term: str) -> list[tuple[int, str]]:
    """The fewest (relative position, gram) pairs that pin ``term`` down exactly.

    ``term`` is normalized here. A word run of length n is covered by bigrams at 0, 2, 4, … and n-2
    (overlapping at most once); a single character or punctuation by its unigram; leading/trailing
    whitespace is dropped, an inner whitespace run is one ``SPACE`` slot as in the index (a quoted term
    with a space matches words separated by spaces or tabs, never by a line break).
    """
    norm = normalize_text(term).strip()
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _SLOTS.finditer(norm):
        word, space = m.group(1), m.group(2)
        if word is not None:
            n = len(word)
            if n == 1:
                out.append((pos, word))
            else:
                starts = list(range(0, n - 1, 2))
                if starts[-1] != n - 2:
                    starts.append(n - 2)
                out.extend((pos + i, word[i : i + 2]) for i in starts)
            pos += n
        elif space is not None:
            out.append((pos, _space_gram(space)))
            pos += 1
        else:
            out.append((pos, m.group(3)))
            pos += 1
    return out


def _space_gram(run: str) -> str:
    return BREAK if _LINE_BREAK.search(run) else SPACE


def gram_width(gram: str) -> int:
    """Slots a gram covers: 2 for a bigram, 1 otherwise."""
    return 2 if len(gram) == 2 else 1


class _UnitTokenizer(Tokenizer):
    """The Whoosh tokenizer contract over ``units(norm)`` → (position, text, start, end) of normalized
    text: positions as given, start/end chars mapped back to the original text, one reused Token."""

    fold_untokenized = False  # with tokenize=False: index the value normalized (True) or as it is

    @staticmethod
    def units(norm: str):
        raise NotImplementedError

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = normalize_text(value) if self.fold_untokenized else value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        norm, offsets = normalize(value)
        for pos, text, s, e in self.units(norm):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = start_pos + pos
            if chars:
                s, e = to_original(offsets, s, e)
                t.startchar, t.endchar = start_char + s, start_char + e
            yield t


# --------------------------------------------------------------------------------------------------
# jieba words (cut by ``search.segmenter``)


def words(norm: str, fast: bool = True) -> list[tuple[int, str, int, int]]:
    """jieba words of normalized text: (ordinal position, word, start, end), separators dropped; ``fast``:
    Han-only blocks through rjieba (``search.segmenter.cut_words``: the same tokens).

    Each separator run advances the position by one, so words on either side are never adjacent.
    """
    out = []
    pos = 0
    gap = False
    start = 0
    for w in cut_words(norm, fast):
        end = start + len(w)
        if w.isalnum():  # = _WORD_RUN_RE.fullmatch(w): re's \w is str.isalnum() or "_", and WORD_RUN leaves "_" out
            if gap:
                pos += 1
                gap = False
            out.append((pos, w, start, end))
            pos += 1
        elif _WORD_RUN_RE.search(w):
            # jieba may return mixed tokens (e.g. "a-b"): keep their word runs as separate words.
            for m in _WORD_RUN_RE.finditer(w):
                if gap or m.start() > 0:
                    pos += 1
                out.append((pos, m.group(0), start + m.start(), start + m.end()))
                pos += 1
            gap = not w[-1].isalnum()
        else:
            gap = True
        start = end
    return out


def word_list(norm: str, fast: bool = True) -> list[str]:
    """The words of ``words(norm, fast)`` alone, in order (a build's word files need no positions), made without a
    tuple per token; a Han-only block's tokens are words as they come, the text between blocks its alphanumeric
    characters."""
    out: list[str] = []
    for tokens, kind in cut_pieces(norm, fast):
        if kind is HAN:
            out.extend(tokens)
            continue
        if kind is BETWEEN:  # one character a token, and a word where it is one (whitespace runs are not)
            out.extend(c for c in tokens if c.isalnum())
            continue
        for w in tokens:
            if w.isalnum():
                out.append(w)
            elif _WORD_RUN_RE.search(w):
                out.extend(_WORD_RUN_RE.findall(w))
    return out


@lru_cache(maxsize=4096)
def query_words(term: str) -> tuple[str, ...]:
    """jieba words of a query term (accurate mode, as at index time)."""
    return tuple(w for _, w, _, _ in words(normalize_text(term)))


class WordTokenizer(_UnitTokenizer):
    """Whoosh tokenizer: jieba words of the normalized text, offsets into the original text."""

    fold_untokenized = True
    units = staticmethod(words)


def word_tokens(text: str) -> tuple[tuple[int, str], ...]:
    """jieba words of ``text`` (normalized first): ((position, word), …), as ``words`` numbers them."""
    return tuple((pos, w) for pos, w, _, _ in words(normalize_text(text)))


# --------------------------------------------------------------------------------------------------
# Sentences and paragraphs (同句 / 同段, snippets)

SENTENCE_END = "。！？；!?;"
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+\n*|\n+|$)")
_PARAGRAPH_RE = re.compile(r"[^\n]*(?:\n+|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence (ends at 。！？； or a line break, the terminator included)."""
    return [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.end() > m.start()]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PARAGRAPH_RE.finditer(text) if m.end() > m.start()]


# The numbered paragraphs of a report (the report page's ``#p-N`` permalinks, the excerpt basket's items): its
# non-empty lines, numbered from 1. ``str.strip``'s whitespace is the regex's ``\s`` (both Unicode's).
_PARAGRAPH_START = re.compile(r"^[^\S\n]*\S", re.M)


def paragraph_lines(text: str):
    """(n, start, end, line) of each paragraph: the non-empty lines of the text, numbered from 1 (``#p-N``)."""
    pos, n = 0, 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip():
            n += 1
            yield n, start, end, line


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of ``text`` (``paragraph_lines``) starts."""
    return [m.start() for m in _PARAGRAPH_START.finditer(text)]


def paragraph_base(starts: list[int], start: int) -> int:
    """How many paragraphs of a text (their ``paragraph_starts``) start at or before offset ``start``: stored
    with each section for its ``own_start``, so a section's own text numbers its paragraphs without the rest
    of the report (``paragraph_at``)."""
    return bisect_right(starts, start)


def paragraph_at(own_starts, base: int, pos: int) -> int:
    """The number of the paragraph holding offset ``pos`` of a section's own text, from the section's
    ``paragraph_base`` and the paragraph starts of its own text (``paragraph_starts``; one at 0 is not a
    line's start when the section starts mid-line, and the base counts it where it is): 0 before the first."""
    skip = 1 if own_starts and own_starts[0] == 0 else 0
    return base + bisect_right(own_starts, pos, lo=skip) - skip
