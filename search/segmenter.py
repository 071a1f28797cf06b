"""Analysis (shared by index and query time), the segmenter: jieba's accurate-mode words of normalized text.

jieba is the reference: our own ``jieba.Tokenizer`` (not jieba's global one) with the genre's user dictionary
(``USER_DICT``), loaded once per process. Blocks of Han characters only (as jieba cuts text into blocks) go to
jieba-rs (``rjieba``: the same dictionary, DAG and HMM, ~10× faster, tested to give jieba's tokens) with the
same user words; the other blocks to jieba itself (their cuts kept: they repeat), and the text between blocks
is cut by jieba's rule for it. The fast path is off without rjieba or with ``REPORTS_SEGMENTER=jieba``.
``search.analysis`` turns these words into positioned tokens.
"""

from __future__ import annotations

import gc
import logging
import marshal
import os
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

_JIEBA_LOCK = threading.Lock()
_JIEBA = None
USER_DICT = Path(__file__).resolve().parent / "data" / "userdict.txt"


def user_words(path=USER_DICT) -> list[tuple[str, int | None]]:
    """The user dictionary's (word, frequency or None) entries, normalized as the text they cut is; ``#``
    lines are comments."""
    from search.analysis import normalize_text  # analysis imports this module for its words

    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            out.append((normalize_text(parts[0]), int(parts[1]) if len(parts) > 1 else None))
    return out


def jieba_tokenizer():
    """Our own jieba tokenizer (not jieba's global one): its dictionary and the user dictionary
    (``USER_DICT``: the genre's terms) loaded once per process, quietly; the same at index and query time."""
    global _JIEBA
    if _JIEBA is None:
        with _JIEBA_LOCK:
            if _JIEBA is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                _initialize(tokenizer)
                for word, freq in user_words():
                    tokenizer.add_word(word, freq)
                _JIEBA = tokenizer
    return _JIEBA


def _initialize(tokenizer) -> None:
    """``tokenizer.initialize()``, its dictionary read from jieba's own cache file (where jieba keeps the default
    dictionary's prefix table) with one read and ``marshal.loads``, the collector paused: jieba's ``marshal.load``
    from the open file reads it piece by piece, 0.6 s of every process that segments (a build's workers, a
    server, a ``reports-search`` run) against 0.25 s. Where that cache is not there or not readable, jieba's
    ``initialize`` does it all (and writes the cache)."""
    import jieba

    path = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), "jieba.cache")
    if tokenizer.dictionary == jieba.DEFAULT_DICT and not tokenizer.cache_file and os.path.isfile(path):
        collecting = gc.isenabled()
        gc.disable()  # a million new objects: the collector would walk them over and over
        try:
            with open(path, "rb") as f:
                tokenizer.FREQ, tokenizer.total = marshal.loads(f.read())
            tokenizer.initialized = True
        except (OSError, ValueError, EOFError, TypeError):
            pass
        finally:
            if collecting:
                gc.enable()
    tokenizer.initialize()  # a no-op once initialized


load_words = jieba_tokenizer  # for a build worker to load the dictionaries before its first report

# jieba's own blocks (``jieba.re_han_default``): it segments each of these on its own
JIEBA_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
# how it cuts the text between blocks (``jieba.re_skip_default``): each of these whole, every other character alone
JIEBA_SKIP = re.compile("(\r\n|\\s)")
BLOCKS_KEPT = 1 << 15  # jieba's cuts of the other blocks kept per process (``jieba_block``)
_JIEBA_ONLY = False  # set by ``jieba_only``: the fast path off in this process
_HAN_ONLY = re.compile("[\u4E00-\u9FD5]+")
_FAST = None


def fast_segmenter():
    """An rjieba segmenter with jieba's default dictionary plus our user dictionary (added word by word as
    ``jieba_tokenizer`` adds it), or None where the fast path is off."""
    global _FAST
    if _JIEBA_ONLY:
        return None
    if _FAST is None:
        with _JIEBA_LOCK:
            if _FAST is None:
                fast = False
                if os.environ.get("REPORTS_SEGMENTER", "") != "jieba":
                    try:
                        import rjieba

                        fast = rjieba.Jieba()
                        for word, freq in user_words():
                            fast.add_word(word, freq, None)  # None: suggested as jieba suggests it
                    except ImportError:
                        fast = False
                _FAST = fast
    return _FAST or None


def jieba_only() -> None:
    """From now on this process cuts with jieba alone (the same tokens): a server, which cuts queries and a few
    texts, then holds one segmenter dictionary, not two (rjieba's is ~70 MB). A build and a one-off process (a
    ``reports-search`` run) keep the fast path: rjieba cuts ~10× faster and loads in a fraction of jieba's 0.4 s."""
    global _JIEBA_ONLY
    _JIEBA_ONLY = True


def between_blocks(piece: str):
    """jieba's tokens of text between its blocks (``jieba.Tokenizer.cut``, accurate mode): each whitespace
    character (``\\r\\n`` as one) and every other character on its own."""
    for x in JIEBA_SKIP.split(piece):
        if JIEBA_SKIP.match(x):
            yield x
        else:
            yield from x


def cut_words(norm: str, fast=True):
    """jieba's accurate-mode tokens of ``norm`` (HMM on), block by block as jieba cuts it: with ``fast`` (and
    rjieba available) Han-only blocks through rjieba, the other blocks (digits, Latin letters) through jieba,
    the text between blocks by jieba's own rule (``between_blocks``); everything through jieba otherwise."""
    for tokens, kind in cut_pieces(norm, fast):
        yield from (between_blocks(tokens) if kind is BETWEEN else tokens)


HAN, BETWEEN, OTHER = "han", "between", "other"  # the pieces of ``cut_pieces``


def cut_pieces(norm: str, fast=True):
    """``cut_words``' tokens piece by piece of ``norm``, with what the piece is: (a Han-only block's tokens through
    rjieba, ``HAN``), (the text between blocks itself, ``BETWEEN``: ``between_blocks`` cuts it into its characters),
    (another block's tokens or, without the fast path, the whole text's, ``OTHER``)."""
    segmenter = fast_segmenter() if fast else None
    if segmenter is None:
        yield jieba_tokenizer().cut(norm, HMM=True), OTHER
        return
    for i, piece in enumerate(JIEBA_BLOCK.split(norm)):  # odd pieces are blocks
        if not piece:
            continue
        if not i & 1:
            yield piece, BETWEEN
        elif _HAN_ONLY.fullmatch(piece):
            yield segmenter.cut(piece, True), HAN
        else:
            yield jieba_block(piece), OTHER


@lru_cache(maxsize=BLOCKS_KEPT)
def jieba_block(block: str) -> tuple[str, ...]:
    """jieba's tokens of one of its blocks, kept for the next time: the blocks with digits or Latin letters repeat
    (years, dates, percentages, numbers), and each cut of one is a Python DAG and HMM."""
    return tuple(jieba_tokenizer().cut(block, HMM=True))
