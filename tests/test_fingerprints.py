"""search.fingerprints: content characters, winnowed hashes (every shared run of MIN_CHARS is seen), the file."""

import random
import re

import numpy as np
import pytest

from search.analysis import normalize_text
from search.fingerprints import (K, MIN_CHARS, W, PrintFile, PrintFileError, PrintWriter, content, fingerprints,
                                 kgram_hashes, winnow)

WORD = re.compile(r"[^\W_]")


def test_content_keeps_word_characters_folded_with_their_offsets():
    text = "一、執法 記錄儀：ＡＢＣ１２３！\n（二）ok"
    codes, where = content(text)
    kept = [i for i, ch in enumerate(text) if WORD.match(ch)]
    assert kept == where.tolist()
    assert normalize_text("".join(text[i] for i in kept)) == "".join(map(chr, codes.tolist()))
    assert "一执法记录仪abc123二ok" == "".join(map(chr, codes.tolist()))


def test_kgram_hashes_depend_on_the_characters_only():
    codes = content("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉")[0]
    hashes = kgram_hashes(codes)
    assert len(codes) - K + 1 == len(hashes)
    again = kgram_hashes(content("（前缀）甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉")[0])
    assert hashes.tolist() == again[2:].tolist()  # （前缀） adds two content characters, the brackets none
    assert 0 == len(kgram_hashes(codes[:K - 1]))


def test_winnow_keeps_one_of_every_window():
    rng = np.random.default_rng(5)
    hashes = rng.integers(0, 2**32, size=500, dtype=np.uint64).astype(np.uint32)
    kept = winnow(hashes)
    assert all(any(i <= k < i + W for k in kept.tolist()) for i in range(len(hashes) - W + 1))
    assert [] == winnow(hashes[:W - 1]).tolist()


@pytest.mark.parametrize("top", [2, 5, 2**32 - 1])
def test_winnow_keeps_each_windows_rightmost_minimum(top):
    """As written out window by window (ties, few distinct hashes, the shortest input included)."""
    rng = np.random.default_rng(top)
    for n in (W, W + 1, 3 * W, 400):
        hashes = rng.integers(0, top, size=n, dtype=np.uint64).astype(np.uint32)
        values = hashes.tolist()
        expected = sorted({i + max(j for j in range(W) if values[i + j] == min(values[i:i + W]))
                           for i in range(n - W + 1)})
        assert expected == winnow(hashes).tolist()


def _chinese(rng: random.Random, n: int) -> str:
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(n))


@pytest.mark.parametrize("seed", range(20))
def test_two_texts_sharing_a_run_of_min_chars_share_a_fingerprint(seed):
    rng = random.Random(seed)
    shared = _chinese(rng, MIN_CHARS)
    a = _chinese(rng, rng.randrange(0, 200)) + "，" + shared + "。" + _chinese(rng, rng.randrange(0, 200))
    b = _chinese(rng, rng.randrange(0, 200)) + shared + "\n" + _chinese(rng, rng.randrange(0, 200))
    ha, pa = fingerprints(a)
    hb, pb = fingerprints(b)
    at_a, at_b = content(a)[0].tolist(), content(b)[0].tolist()
    common = {(h, x - y) for h, x in zip(ha.tolist(), pa.tolist()) for h2, y in zip(hb.tolist(), pb.tolist()) if h == h2}
    start_a = "".join(map(chr, at_a)).index(normalize_text(shared))  # random characters may be traditional
    start_b = "".join(map(chr, at_b)).index(normalize_text(shared))
    assert any(shift == start_a - start_b for _, shift in common)


def test_a_file_holds_every_fingerprint_sorted_by_hash(tmp_path):
    texts = {3: "一段关于执法规范化建设的文字，说明执法记录仪全面配备并且使用。" * 3, 9: "另一份报告的文字，与前一段没有任何相同的地方，只是为了检验。" * 2}
    writer = PrintWriter(tmp_path / "x.prints")
    for doc, text in texts.items():
        writer.add(doc, text)
    path = writer.close()
    pf = PrintFile(path)
    expected = sorted((int(h), doc, int(p)) for doc, text in texts.items() for h, p in zip(*fingerprints(text)))
    hashes, docs = pf.everything()
    assert [e[0] for e in expected] == hashes.tolist()
    which, found_docs, pos = pf.lookup(np.unique(hashes))
    assert sorted(expected) == sorted(zip(np.unique(hashes)[which].tolist(), found_docs.tolist(), pos.tolist()))
    pf.close()


def test_a_damaged_file_is_refused(tmp_path):
    writer = PrintWriter(tmp_path / "x.prints")
    writer.add(0, "一段关于执法规范化建设的文字，说明执法记录仪全面配备并且使用。")
    path = writer.close()
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(PrintFileError):
        PrintFile(path)
    with pytest.raises(PrintFileError):
        PrintFile(tmp_path / "missing.prints")


def _reference_content(text: str) -> tuple[list[int], list[int]]:
    """``content`` the slow way: ``normalize`` the text, then keep its word characters with their offsets."""
    from search.analysis import normalize

    norm, offsets = normalize(text)
    kept = [i for i, ch in enumerate(norm) if WORD.match(ch)]
    return [ord(norm[i]) for i in kept], [i if offsets is None else offsets[i] for i in kept]


@pytest.mark.parametrize("seed", range(10))
def test_content_folds_exactly_as_normalize(seed, corpus_dir):
    rng = random.Random(seed)
    planes = [(0x20, 0x3000), (0x3000, 0xA000), (0xF900, 0x10000), (0x10000, 0x30000)]
    text = "".join(chr(rng.randrange(*rng.choice(planes))) for _ in range(300))
    text += "⑴执法㍿\u200b記錄ＡＢ…１２\u00ad𝐀"
    seed_text = sorted(corpus_dir.glob("*.txt"))[seed % 5].read_text(encoding="utf-8")
    for t in (text, seed_text):
        codes, where = content(t)
        assert _reference_content(t) == (codes.tolist(), where.tolist())


def test_reports_and_positions_take_the_narrowest_width_that_holds_them(tmp_path):
    from search.fingerprints import U2, U4

    rng = np.random.default_rng(7)
    long_text = "".join(chr(c) for c in rng.integers(0x4E00, 0x9FA5, 70_000))  # content positions past 65,535
    for texts, widths in (({70_000: "一段关于执法规范化建设的文字，说明执法记录仪全面配备并且使用。" * 3}, (U4, U2, U2)),
                          ({5: long_text, 123_456: long_text[:500]}, (U4, U2, U4))):
        writer = PrintWriter(tmp_path / "x.prints")
        for doc, text in texts.items():
            writer.add(doc, text)
        pf = PrintFile(writer.close())
        expected = sorted((int(h), doc, int(p)) for doc, text in texts.items() for h, p in zip(*fingerprints(text)))
        hashes, docs = pf.everything()
        which, found_docs, pos = pf.lookup(np.unique(hashes))
        assert (widths, [(h, d) for h, d, _ in expected]) == (pf.widths, list(zip(hashes.tolist(), docs.tolist())))
        assert sorted(expected) == sorted(zip(np.unique(hashes)[which].tolist(), found_docs.tolist(), pos.tolist()))
        pf.close()
