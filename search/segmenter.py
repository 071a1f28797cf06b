"""Analysis (shared by index and query time), the segmenter: jieba's accurate-mode words of normalized text.

jieba is the reference: our own ``jieba.Tokenizer`` (not jieba's global one) with the genre's user dictionary
(``USER_DICT``), loaded once per process. Blocks of Han characters only (as jieba cuts text into blocks) go to
jieba-rs (``rjieba``: the same dictionary, DAG and HMM, ~10× faster, tested to give jieba's tokens) with the
same user words; the rest to jieba itself. The fast path is off without rjieba or with
``REPORTS_SEGMENTER=jieba``. ``search.analysis`` turns these words into positioned tokens.
"""

from __future__ import annotations

import logging
import os
import re
import threading
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
                tokenizer.initialize()
                for word, freq in user_words():
                    tokenizer.add_word(word, freq)
                _JIEBA = tokenizer
    return _JIEBA


load_words = jieba_tokenizer  # for a build worker to load the dictionaries before its first report

# jieba's own blocks (``jieba.re_han_default``): it segments each of these on its own
JIEBA_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_HAN_ONLY = re.compile("[\u4E00-\u9FD5]+")
_FAST = None


def fast_segmenter():
    """An rjieba segmenter with jieba's default dictionary plus our user dictionary (added word by word as
    ``jieba_tokenizer`` adds it), or None where the fast path is off."""
    global _FAST
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


def cut_words(norm: str, fast=True):
    """jieba's accurate-mode tokens of ``norm`` (HMM on): Han-only blocks through rjieba when ``fast`` and
    available, everything else (and everything when not) through jieba."""
    segmenter = fast_segmenter() if fast else None
    if segmenter is None:
        yield from jieba_tokenizer().cut(norm, HMM=True)
        return
    pending = []  # consecutive other pieces, cut by jieba in one call (it splits them the same way)
    for piece in JIEBA_BLOCK.split(norm):
        if not piece:
            continue
        if _HAN_ONLY.fullmatch(piece):
            if pending:
                yield from jieba_tokenizer().cut("".join(pending), HMM=True)
                pending = []
            yield from segmenter.cut(piece, True)
        else:
            pending.append(piece)
    if pending:
        yield from jieba_tokenizer().cut("".join(pending), HMM=True)


