"""search.grams: the vectorized grams equal the reference grams, and the gram files give back exactly
what was written (reports, counts, kinds, positions), across chunks, segments and deletions."""

import random

import numpy as np
import pytest

from search import analysis
from search.grams import (SHIFT, TITLE, GramFile, GramFileError, GramPostings, GramWriter, gram_arrays, gram_key,
                          member)

SAMPLES = [
    "　　２０２１年，廣州市公安局执法记录仪使用率达100%。局长信箱（网上）办结12345件。\nABC警务",
    "一、总体情况\r\n\r\n  执法 \t 记录仪\u3000\u3000使用\n\n二、下步打算：_下划线_ a_b",
    "",
    "警",
    " \n ",
    "Ｅ－ｍａｉｌ：ABC@example.com；網址　ｗｗｗ",
]


def reference(norm: str, title: bool = False) -> dict[int, list[int]]:
    """key → positions, from ``search.analysis.grams`` (the reference definition)."""
    out: dict[int, list[int]] = {}
    for pos, gram, _, _ in analysis.grams(norm):
        out.setdefault(gram_key(gram, title), []).append(pos)
    return out


def as_dict(keys, pos) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for k, p in zip(keys.tolist(), pos.tolist()):
        out.setdefault(k, []).append(p)
    return out


def random_text(rng: random.Random, n: int) -> str:
    alphabet = "执法记录仪局长信箱警务公安法治，。；！？、（）() \t\n\r\u3000abcAB12３４-_·「」"
    return "".join(rng.choice(alphabet) for _ in range(n))


@pytest.mark.parametrize("text", SAMPLES)
def test_gram_arrays_equal_the_reference_grams(text):
    norm = analysis.normalize_text(text)
    assert reference(norm) == as_dict(*gram_arrays(norm))
    assert reference(norm, title=True) == as_dict(*gram_arrays(norm, title=True))


def test_gram_arrays_equal_the_reference_on_random_text_and_the_seeds(corpus_dir):
    rng = random.Random(7)
    texts = [random_text(rng, rng.randint(0, 300)) for _ in range(300)]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus_dir.iterdir()) if p.is_file()]
    for text in texts:
        norm = analysis.normalize_text(text)
        assert reference(norm) == as_dict(*gram_arrays(norm)), text[:40]


def test_keys_of_unigrams_bigrams_and_titles_are_distinct():
    keys = {gram_key(g) for g in ("法", "治", "法治", "治法", "\n", " ")}
    keys |= {gram_key(g, title=True) for g in ("法", "法治")}
    assert 8 == len(keys)
    assert gram_key("法", title=True) == gram_key("法") | TITLE


REPORTS = [  # (docnum, exact text, title, section starts, section masks)
    (0, "标题一\n某局\n一、执法情况\n执法记录仪配备。执法\n二、问题\n执法不规范", "标题一", [6, 20], [1, 2]),
    (3, "标题二\n\n\n前言执法", "标题二", [], []),
    (4, "执法执法执法", "", [2], [8]),
    (9, "无关的文字", "执法报告", [0], [4]),
]


def expected_postings(gram: str, title: bool = False):
    """(docs, counts, masks, addresses) of a gram over REPORTS, computed from the reference grams."""
    docs, counts, masks, addrs = [], [], [], []
    for doc, exact, ttl, starts, smasks in REPORTS:
        norm = analysis.normalize_text(ttl if title else exact)
        poss = reference(norm, title).get(gram_key(gram, title), [])
        if not poss:
            continue
        mask = 0
        for p in poss:
            if title:
                mask |= 63
            else:
                i = sum(1 for s in starts if s <= p) - 1
                mask |= smasks[i] if i >= 0 else 32
        docs.append(doc)
        counts.append(len(poss))
        masks.append(mask)
        addrs.extend((doc << SHIFT) | p for p in poss)
    return docs, counts, masks, addrs


@pytest.fixture(params=[1, 10, 10**6], ids=["chunk-per-report", "small-chunks", "one-chunk"])
def gram_file(request, tmp_path):
    writer = GramWriter(tmp_path / "MAIN_test.grams", chunk_entries=request.param)
    for doc, exact, title, starts, masks in REPORTS:
        writer.add(doc, exact, title, starts, masks, before_mask=32, title_mask=63)
    path = writer.close()
    gf = GramFile(path)
    yield gf
    gf.close()


@pytest.mark.parametrize("gram, title", [("执法", False), ("执", False), ("\n", False), ("。", False),
                                         ("执法", True), ("标题", True), ("不存在", False)])
def test_postings_give_back_what_was_written(gram_file, gram, title):
    p = GramPostings([(gram_file, 0)], gram_key(gram[:2], title))
    docs, counts, masks, addrs = expected_postings(gram[:2], title)
    assert (docs, counts, masks) == (p.docs.tolist(), p.counts.tolist(), p.masks.tolist())
    assert addrs == p.addresses().tolist()
    for want in ([0], [3, 4], [9], [1, 2], [0, 4, 9]):
        subset = [a for a in addrs if a >> SHIFT in want]
        assert subset == p.addresses(np.array(want, dtype=np.int64)).tolist()


def test_segments_add_their_docnum_base(gram_file):
    p = GramPostings([(gram_file, 0), (gram_file, 100)], gram_key("执法"))
    docs = expected_postings("执法")[0]
    assert docs + [d + 100 for d in docs] == p.docs.tolist()
    assert sorted(p.addresses().tolist()) == p.addresses().tolist()


@pytest.mark.parametrize("chunk_entries", [50, 10**6])
def test_addresses_of_a_few_reports_among_many(tmp_path, chunk_entries):
    """Asking for a few reports reads only theirs: the same addresses as filtering all of them."""
    rng = random.Random(3)
    writer = GramWriter(tmp_path / "many.grams", chunk_entries=chunk_entries)
    for doc in range(0, 120, 2):
        writer.add(doc, random_text(rng, rng.randint(1, 80)), "", [], [], 32, 63)
    gf = GramFile(writer.close())
    for gram in ("执法", "法", "，", "\n", "ab"):
        p = GramPostings([(gf, 0), (gf, 1000)], gram_key(gram))
        every = p.addresses()
        for want in ([0], [2, 118], [1, 3], [1000, 1118], [5, 1004, 1118], [4, 6, 5000]):
            wanted = np.array(want, dtype=np.int64)
            assert every[np.isin(every >> SHIFT, wanted)].tolist() == p.addresses(wanted).tolist(), (gram, want)
    gf.close()


def test_writer_wants_ascending_docnums(tmp_path):
    writer = GramWriter(tmp_path / "x.grams")
    writer.add(5, "甲", "", [], [], 32, 63)
    with pytest.raises(ValueError):
        writer.add(5, "乙", "", [], [], 32, 63)
    writer.abort()
    assert [] == list(tmp_path.iterdir())  # nothing half-written is left


def test_empty_file_has_no_postings(tmp_path):
    gf = GramFile(GramWriter(tmp_path / "e.grams").close())
    p = GramPostings([(gf, 0)], gram_key("法"))
    assert ([], []) == (p.docs.tolist(), p.addresses().tolist())
    gf.close()


@pytest.mark.parametrize("damage", ["missing", "empty", "cut", "garbage"])
def test_damaged_files_raise_gram_file_error(gram_file, tmp_path, damage):
    path = tmp_path / "damaged.grams"
    data = gram_file.path.read_bytes()
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "cut":
        path.write_bytes(data[:-3])
    elif damage == "garbage":
        path.write_bytes(data[:-16] + b"\xff" * 8 + data[-8:])
    with pytest.raises(GramFileError):
        GramFile(path)


def test_member():
    hay = np.array([2, 5, 9], dtype=np.int64)
    assert [False, True, False, True, False] == member(np.array([1, 2, 3, 9, 10]), hay).tolist()
    assert [False] == member(np.array([1]), np.zeros(0, dtype=np.int64)).tolist()


@pytest.mark.parametrize("chunk_entries", [20_000, 10**7])
def test_positions_across_many_blocks_widths_and_compression_equal_the_reference(tmp_path, chunk_entries):
    """Keys held by more reports than a block holds, positions past u1 and u2, compressed and raw blocks:
    every key's addresses (all, a few reports, many reports) equal the reference grams'; the positions
    take less room than raw u4."""
    from search.grams import BLOCK_GROUPS

    rng = random.Random(11)
    texts = {doc: random_text(rng, rng.randint(1, 1500)) for doc in range(0, 3 * BLOCK_GROUPS * 2 + 10, 2)}
    texts[2] = random_text(rng, 70_000)  # positions past 65535: u4 deltas at its first grams
    writer = GramWriter(tmp_path / "blocks.grams", chunk_entries=chunk_entries)
    for doc, text in texts.items():
        writer.add(doc, text, "", [], [], 32, 63)
    gf = GramFile(writer.close())
    positions = sum(c["positions"] for c in gf.chunks)
    assert sum(int(b[-1]) for b in gf.blocks) < 4 * positions / 2
    for gram in ("执法", "法", "，", "\n", "a", "12"):
        expected = []
        for doc, text in texts.items():
            expected.extend((doc << SHIFT) | p for p in reference(analysis.normalize_text(text)).get(gram_key(gram), []))
        p = GramPostings([(gf, 0)], gram_key(gram))
        assert expected == p.addresses().tolist(), gram
        for want in ([2], [0, 2, 500], sorted(rng.sample(sorted(texts), len(texts) // 2)), [1, 3]):
            wanted = np.array(want, dtype=np.int64)
            assert [a for a in expected if a >> SHIFT in set(want)] == p.addresses(wanted).tolist(), (gram, want)
    gf.close()


def test_word_characters_by_table_are_the_patterns_for_every_code_point():
    """The BMP table and the kept answers past it say of every code point what ``[^\\W_]`` says."""
    import re

    import numpy as np

    from search.grams import _is_word

    codes = np.arange(0x110000, dtype=np.uint32)
    pattern = re.compile(r"[^\W_]")
    assert _is_word(codes).tolist() == [pattern.match(chr(c)) is not None for c in range(0x110000)]
    assert _is_word(codes[::-1]).tolist() == _is_word(codes).tolist()[::-1]  # asked again: the kept answers


@pytest.mark.parametrize("bits", [1, 16, 17, 37, 43, 63])
def test_key_order_is_numpys_stable_argsort(bits):
    """The radix order of a chunk's keys is ``np.argsort(kind="stable")``'s: equal keys keep their order, over
    keys of every width (a gram's key: up to 37 bits, a title gram's 43), few distinct or many, and none."""
    from search.grams import key_order

    rng = np.random.default_rng(bits)
    for distinct in (3, 5_000):
        pool = rng.integers(0, 1 << bits, distinct, dtype=np.uint64, endpoint=False)
        keys = rng.choice(pool, 20_000)
        assert key_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()
    assert key_order(np.zeros(0, dtype=np.uint64)).tolist() == []


def _slots_by_pattern(norm: str, offsets: list[int]) -> list[int]:
    """The reference: the slots of ascending offsets walked with the analysis' slot pattern (word run, whitespace
    run, any other character)."""
    out, pos, it = [], 0, iter(offsets)
    want = next(it, None)
    for m in analysis._SLOTS.finditer(norm):
        while want is not None and want < m.end():
            out.append(pos + (want - m.start()) if m.group(1) is not None else pos)
            want = next(it, None)
        pos += len(m.group(1)) if m.group(1) is not None else 1
    return out + [pos] * (len(offsets) - len(out))


def test_slots_at_offsets_equal_the_pattern_walk(corpus_dir):
    """Each offset's slot (a whitespace run one, every other character one) as the slot pattern walks it, over the
    seeds and random text of words, spaces of every kind, line breaks and punctuation; offsets in any order, at
    and past the end."""
    from search.grams import slots_at

    rng = random.Random(5)
    alphabet = "执法ab1 \t\n\u3000\u2028，。_《》𠀋"
    texts = [analysis.normalize_text(p.read_text(encoding="utf-8")) for p in sorted(corpus_dir.glob("*.txt"))]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300))) for _ in range(200)] + [""]
    for norm in texts:
        offsets = sorted(rng.randint(0, len(norm) + 2) for _ in range(40)) + [len(norm)]
        assert slots_at(norm, offsets) == _slots_by_pattern(norm, offsets)
        shuffled = offsets[::-1]
        assert slots_at(norm, shuffled) == _slots_by_pattern(norm, offsets)[::-1]


def test_place_is_searchsorted_right_less_one_either_way():
    """``place`` gives the last row at or before each ascending value, as ``np.searchsorted(side="right") - 1``
    does, whether the values or the table are the more (repeated rows and values, none of either)."""
    from search.grams import place

    rng = np.random.default_rng(7)
    for rows, values in ((0, 0), (0, 9), (9, 0), (5, 200), (200, 5), (3_000, 50_000), (50_000, 3_000)):
        table = np.sort(rng.integers(0, 2_000, rows))
        found = np.sort(rng.integers(-10, 2_010, values))
        assert place(table, found).tolist() == (np.searchsorted(table, found, side="right") - 1).tolist()
