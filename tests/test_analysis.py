"""search.analysis: normalization, exact grams, jieba words (the same at index and query time)."""

import re

import pytest

from search import analysis, segmenter
from search.schema import SCHEMA
from search_helpers import build_index, make_report


@pytest.mark.parametrize("raw, expected", [
    ("２０２１年", "2021年"),
    ("ＡＢＣ执法", "abc执法"),
    ("執法記錄儀", "执法记录仪"),
    ("國務院辦公廳", "国务院办公厅"),
    ("Police", "police"),
    ("（一）", "(一)"),
    ("执\u200b法", "执法"),
    ("公安局", "公安局"),
    ("①", "1"),
])
def test_normalize(raw, expected):
    assert expected == analysis.normalize_text(raw)


@pytest.mark.parametrize("raw", ["执法ﬁ记录", "ß２０２１執法", "a\u200bb\ufeffc", "plain 文本"])
def test_normalize_offsets_map_back(raw):
    norm, offsets = analysis.normalize(raw)
    if offsets is None:
        assert len(raw) == len(norm)
        return
    assert len(norm) + 1 == len(offsets)
    for i, ch in enumerate(norm):
        s, e = analysis.to_original(offsets, i, i + 1)
        assert ch in analysis.normalize_text(raw[s:e])


def _normalize_by_character(text: str) -> tuple[str, list[int]]:
    """The reference: every character folded by itself through the table, its offset repeated per folded char."""
    table, _ = analysis._tables()
    out, offsets = [], []
    for i, ch in enumerate(text):
        folded = table.get(ord(ch), ch)
        out.append(folded)
        offsets.extend([i] * len(folded))
    return "".join(out), offsets + [len(text)]


def test_fold_lookup_translates_every_code_point_as_the_table_does():
    """The list ``normalize`` translates with (``_lookup``) folds every code point, changing or not, BMP or
    astral, past its end too, exactly as the fold table (a dict of the changing ones) does."""
    table, _ = analysis._tables()
    lookup = analysis._lookup()
    points = [cp for cp in range(0x30000) if not 0xD800 <= cp < 0xE000] + [len(lookup), 0x10FFFF]
    text = "".join(map(chr, points))
    assert text.translate(lookup) == text.translate(table)
    assert len(lookup) > 0x10000  # traditional characters past the BMP fold too


def test_the_fold_array_folds_every_code_point_as_translate_does():
    """``normalize``'s numpy path (``_fold_codes``, for long texts) folds every code point, BMP or astral, lone
    surrogates and past the array's end too, exactly as the translate path does; where a fold is not one character
    (before, inside or after the rest) the text and every offset are those of folding character by character."""
    table, multi = analysis._tables()
    lookup = analysis._lookup()
    points = [cp for cp in range(0x30000) if not multi.match(chr(cp))] + [len(lookup), 0x10FFFF]
    text = "".join(map(chr, points))
    assert len(text) >= analysis.FOLD_AT
    assert analysis._fold_codes(text) == (text.translate(lookup), None)
    assert analysis.normalize(text) == (text.translate(table), None)
    for odd in ("…", "\u200b", "ﬁ", "…\u200b…ﬁ"):  # folds to three characters, to none, to two
        for long in (odd + text, text + odd, text[:500] + odd + text[500:] + odd):
            assert analysis._fold_codes(long) == _normalize_by_character(long)


def test_normalize_by_runs_equals_normalizing_each_character(corpus_dir):
    """The fold of a text holding multi-character folds (…, ﬁ, ß, deletions) translates the runs between them
    at once: the folded text and every offset are those of folding character by character."""
    table, multi = analysis._tables()
    every = "".join(map(chr, table))
    texts = [every, every[::-1], "…" + every + "…", "……执法…记录", "a\u200b\u200bb", "…"]
    texts += [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    texts += ["…".join(texts[-2:]), "ﬁ" + texts[-1][:500] + "ß"]
    for text in texts:
        norm, offsets = analysis.normalize(text)
        if offsets is None:
            assert not multi.search(text)
            assert norm == text.translate(table)
        else:
            assert (norm, offsets) == _normalize_by_character(text)
    assert sum(bool(multi.search(t)) for t in texts) >= 6


TEXT = "　　２０２１年，廣州市公安局执法记录仪使用率达100%。局长信箱（网上）办结12345件。\nABC警务"


def test_tokens_give_back_their_text():
    tokens = [(t.text, t.startchar, t.endchar) for t in analysis.WordTokenizer()(TEXT, positions=True, chars=True)]
    assert tokens
    for text, s, e in tokens:
        assert text == analysis.normalize_text(TEXT[s:e])


def test_grams_give_back_their_text():
    norm = analysis.normalize_text(TEXT)
    grams = analysis.grams(norm)
    assert grams
    for _, gram, s, e in grams:
        original = norm[s:e]
        if original.isspace():  # a whitespace run is one gram: a line break or a space
            original = "\n" if "\n" in original else " "
        assert gram == original


def test_word_positions_are_ordinals_with_gaps_at_separators():
    tokens = [(t.text, t.pos) for t in analysis.WordTokenizer()("执法记录仪，局长信箱", positions=True)]
    assert [("执法记录仪", 0), ("局长", 2), ("信箱", 3)] == tokens  # 执法记录仪: the user dictionary


def test_tokenizer_reuses_one_token():
    ids = {id(t) for t in analysis.WordTokenizer()("执法记录仪局长信箱")}
    assert 1 == len(ids)


@pytest.mark.parametrize("term, expected", [
    ("警", [(0, "警")]),
    ("执法", [(0, "执法")]),
    ("记录仪", [(0, "记录"), (1, "录仪")]),
    ("执法记录仪", [(0, "执法"), (2, "记录"), (3, "录仪")]),
    ("２０２１", [(0, "20"), (2, "21")]),
    ("2021-2025", [(0, "20"), (2, "21"), (4, "-"), (5, "20"), (7, "25")]),
    ("执法 记录", [(0, "执法"), (2, " "), (3, "记录")]),
    ("执法 \n 记录", [(0, "执法"), (2, "\n"), (3, "记录")]),
    ("  ", []),
])
def test_query_grams(term, expected):
    assert expected == analysis.query_grams(term)


def test_a_word_run_is_what_str_isalnum_says_for_every_code_point():
    """``words`` keeps a token when ``str.isalnum()`` says so, for ``WORD_RUN``'s fullmatch (re's \\w minus "_")."""
    run = re.compile(analysis.WORD_RUN)
    chars = "".join(map(chr, range(0x110000)))
    assert [i for i, c in enumerate(chars) if bool(run.fullmatch(c)) != c.isalnum()] == []


def test_exact_grams_never_span_separators():
    grams = {g for _, g, _, _ in analysis.grams(analysis.normalize_text("执法，记录 仪"))}
    assert {"执", "法", "执法", ",", "记", "录", "记录", " ", "仪"} == grams



def test_jieba_query_words_accurate_mode():
    # search mode would add 中华/华人/人民/共和/共和国 sub-words
    assert ("中华人民共和国", "公安部") == analysis.query_words("中华人民共和国公安部")


def test_sentence_spans():
    text = "甲。乙！\n丙；丁"
    assert ["甲。", "乙！\n", "丙；", "丁"] == [text[s:e] for s, e in analysis.sentence_spans(text)]


def test_paragraphs_are_the_non_empty_lines_and_a_section_numbers_its_own(corpus_dir):
    """Wherever a section starts (mid-line too: an indented heading), its own text and stored base number each
    paragraph as the whole text does."""
    from bisect import bisect_right

    texts = ["一、总体\n\n　　（一）措施\n  \n正文。\n\u3000\n尾", "\n\n  a\nb"]
    texts += [p.read_text(encoding="utf-8")[:3000] for p in sorted(corpus_dir.glob("*.txt"))[:2]]
    for text in texts:
        lines = list(analysis.paragraph_lines(text))
        starts = analysis.paragraph_starts(text)
        assert [start for _, start, _, _ in lines] == starts
        assert all(line.strip() for _, _, _, line in lines) and all(text[s - 1] == "\n" for s in starts if s)
        assert len(lines) == sum(1 for line in text.split("\n") if line.strip())
        for cut in range(0, len(text), 7 if len(text) > 100 else 1):
            own, base = analysis.paragraph_starts(text[cut:]), analysis.paragraph_base(starts, cut)
            for pos in range(cut, len(text), 5 if len(text) > 100 else 1):
                assert bisect_right(starts, pos) == analysis.paragraph_at(own, base, pos - cut), (text, cut, pos)


def test_schema_has_no_text_fields():  # exact grams: gram files (search.grams); words: word files (search.words)
    assert not {"exact", "title_exact", "rwords", "title"} & set(SCHEMA.names())


def test_the_user_dictionary_keeps_the_genres_terms_whole_at_index_and_query_time():
    from search.analysis import query_words, word_tokens
    from search.segmenter import user_words

    terms = [w for w, _ in user_words()]
    assert {"执法记录仪", "法制审核", "两法衔接"} <= set(terms)
    for term in terms:
        assert (term,) == query_words(term)
    assert ((0, "全面"), (1, "配备"), (2, "执法记录仪")) == word_tokens("全面配备执法记录仪")


MIXED = [
    "2021年，公安局执法记录仪使用率达100%。",
    "2022-01-13 局长信箱 E-mail：abc@example.com；网址 www.gov.cn",
    "一、总体情况\r\n\r\n  执法 \t 记录仪\u3000使用\n\n二、下步打算：_下划线_ a_b C++ 5G+警务 #1 50.5% 2021-2025年",
    "",
    "　　",
    "执法",
]


def test_the_fast_segmenter_cuts_jieba_blocks_as_jieba_does():
    import jieba

    assert jieba.re_han_default.pattern == segmenter.JIEBA_BLOCK.pattern
    assert jieba.re_skip_default.pattern == segmenter.JIEBA_SKIP.pattern
    for text in MIXED + ["\r\n\r\r\n \u3000，。\n\t  《》"]:  # unnormalized: \r\n, lone \r, wide spaces, runs
        assert list(segmenter.jieba_tokenizer().cut(text, HMM=True)) == list(segmenter.cut_words(text)), text
    assert segmenter.fast_segmenter() is not None  # rjieba is installed: the tests below compare it


def _texts(corpus_dir, bench_dir):
    for path in sorted(corpus_dir.glob("*.txt")) + sorted(bench_dir.glob("*.txt")):
        yield path.name, analysis.normalize_text(path.read_text(encoding="utf-8"))
    for i, text in enumerate(MIXED):
        yield f"mixed-{i}", analysis.normalize_text(text)


def test_fast_words_equal_jiebas_over_the_seeds_and_a_bench_corpus(corpus_dir, tmp_path):
    """rjieba on Han-only blocks, jieba on the rest: exactly the tokens reference jieba gives the whole text (and
    the word lists of the words ``words`` numbers)."""
    import subprocess
    import sys

    # bench/ is not an installed package: run its generator as a module from the repository root
    subprocess.run([sys.executable, "-m", "bench.corpus", "--reports", "40", "--out", str(tmp_path)],
                   cwd=corpus_dir.parent, check=True, capture_output=True)
    assert 40 == len(list((tmp_path / "corpus-40").glob("*.txt")))
    for name, norm in _texts(corpus_dir, tmp_path / "corpus-40"):
        assert list(segmenter.jieba_tokenizer().cut(norm, HMM=True)) == list(segmenter.cut_words(norm)), name
        assert list(segmenter.cut_words(norm, fast=False)) == list(segmenter.cut_words(norm)), name
        # a build's word lists: the words ``words`` numbers, in order, either way
        positioned = [w for _, w, _, _ in analysis.words(norm)]
        assert analysis.word_list(norm) == positioned == analysis.word_list(norm, fast=False), name


def test_a_jieba_only_process_cuts_the_same_words_and_never_loads_rjieba(seed_index):
    """Text is cut by the fast path, or by jieba alone once a process asks for it (``jieba_only``: a server, one
    segmenter dictionary), to the same words: a fresh process that asked and then searches the seed index (Han,
    digits and Latin letters) never imports rjieba; one that did not uses it."""
    import subprocess
    import sys

    for text in ["全面配备执法记录仪", "2022年执法", "110接处警", "法治政府", *MIXED]:
        norm = analysis.normalize_text(text)
        assert (tuple(w for _, w, _, _ in analysis.words(norm, fast=False)) == analysis.query_words(text)
                == tuple(w for _, w, _, _ in analysis.words(norm))), text
    script = ("import sys; from search import segmenter; from search.engine import Engine, SearchRequest; "
              "sys.argv[2] == 'server' and segmenter.jieba_only(); e = Engine(sys.argv[1]); "
              "n = [e.search(SearchRequest(q=q, mode=m)).total for q in ('执法记录仪', '2022年', '法治 政府') "
              "for m in ('exact', 'words')]; print(min(n) > 0, 'rjieba' in sys.modules)")
    for kind, loaded in (("server", "False"), ("one-off", "True")):
        out = subprocess.run([sys.executable, "-c", script, str(seed_index), kind], capture_output=True, text=True,
                             check=True)
        assert f"True {loaded}" == out.stdout.strip(), kind


def test_the_jieba_dictionary_read_at_once_is_jiebas_with_or_without_its_cache(tmp_path):
    """``search.segmenter`` reads jieba's cached prefix table in one go: the same table and total as jieba's own
    ``initialize``; without the cache file jieba's ``initialize`` builds it (and the next read finds it)."""
    import jieba

    reference = jieba.Tokenizer()
    reference.initialize()
    read = jieba.Tokenizer()
    segmenter._initialize(read)
    built = jieba.Tokenizer()
    built.tmp_dir = str(tmp_path)
    segmenter._initialize(built)
    again = jieba.Tokenizer()
    again.tmp_dir = str(tmp_path)
    segmenter._initialize(again)
    for tokenizer in (read, built, again):
        assert tokenizer.initialized
        assert (tokenizer.FREQ, tokenizer.total) == (reference.FREQ, reference.total)
    assert (tmp_path / "jieba.cache").is_file()
