"""search.matching on real indexes: every term's answer equals a grep, boolean logic equals set algebra,
scopes (title, heading), 同句/同段 units and section kinds."""

import random
import re

import pytest

from search.analysis import normalize_text
from search.engine import Engine, SearchRequest
from search.schema import ALL_KINDS, NO_KIND
from search_helpers import build_index, containing, found, make_report

SEED = 20261122
RUN = re.compile(r"[^\W_]+")
OPERATOR_WORDS = {"OR", "AND", "NOT", "或", "与", "非"}


def _full_width(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def sample_strings(grep, n_per_report):
    """Deterministic substrings of separator-free runs, 1–8 chars, with numbers, full-width, traditional."""
    import opencc

    rng = random.Random(SEED)
    strings = []
    for rid in sorted(grep):
        runs = RUN.findall(grep[rid])
        weights = [len(r) for r in runs]
        for _ in range(n_per_report):
            run = rng.choices(runs, weights)[0]
            size = rng.randint(1, min(8, len(run)))
            start = rng.randrange(len(run) - size + 1)
            strings.append(run[start:start + size])
        numbers = sorted({m for m in re.findall(r"\d+", grep[rid])})
        strings += rng.sample(numbers, min(4, len(numbers)))
    t2 = opencc.OpenCC("s2t")
    strings += [_full_width(s) for s in strings if re.search(r"[0-9a-z]", s)][: n_per_report]
    strings += [t2.convert(s) for s in strings[: n_per_report * 2] if t2.convert(s) != s]
    strings += ["警", "局长信", "局长信箱", "12345", "２０２１", "執法記錄儀", "执法记录仪", "不存在的词语组合"]
    return [s for s in dict.fromkeys(strings) if s not in OPERATOR_WORDS]


def check_exact(engine, grep, strings):
    wrong = {}
    for s in strings:
        got, _ = found(engine, s)
        expected = containing(grep, s)
        if got != expected:
            wrong[s] = (sorted(expected), sorted(got))
    return wrong


def test_exact_equals_grep_on_sampled_strings(engine, grep):
    strings = sample_strings(grep, 24)
    assert len(strings) > 100
    assert {} == check_exact(engine, grep, strings)


@pytest.mark.slow
def test_exact_equals_grep_on_many_sampled_strings(engine, grep):
    strings = sample_strings(grep, 120)
    assert len(strings) > 500
    assert {} == check_exact(engine, grep, strings)


def test_boolean_combinations_equal_set_algebra(engine, grep):
    rng = random.Random(SEED + 1)
    strings = sample_strings(grep, 6)
    universe = set(grep)
    wrong = {}
    for _ in range(40):
        a, b = rng.sample(strings, 2)
        sa, sb = containing(grep, a), containing(grep, b)
        for q, expected in [(f'"{a}" "{b}"', sa & sb), (f'"{a}" -"{b}"', sa - sb),
                            (f'"{a}" OR "{b}"', sa | sb), (f'NOT "{a}"', universe - sa),
                            (f'"{a}" 非 "{b}"', sa - sb), (f'("{a}" 或 "{b}") -"{a}"', sb - sa)]:
            got, _ = found(engine, q)
            if got != expected:
                wrong[q] = (sorted(expected), sorted(got))
    assert {} == wrong


def test_near_sentence_and_paragraph(engine, grep):
    from search.analysis import paragraph_spans, sentence_spans

    def expected(units, a, b):
        return {r for r, t in grep.items() if any(a in t[s:e] and b in t[s:e] for s, e in units(t))}

    for a, b in [("执法", "记录仪"), ("法治", "建设"), ("公安", "信访")]:
        assert expected(sentence_spans, a, b) == found(engine, f"同句({a} {b})")[0]
        assert expected(paragraph_spans, a, b) == found(engine, f"同段({a} {b})")[0]


def test_title_scope(engine, grep, corpus_dir):
    got, result = found(engine, "标题:公安局")
    assert {h["file"] for h in result.hits if "公安局" in normalize_text(h["title"] or "")} == got


def test_terms_never_match_across_separators(tmp_path):
    build_index(tmp_path, [make_report("a.txt", "一、情况\n局长，信箱\n执法 记录仪\n"),
                           make_report("b.txt", "一、情况\n局长信箱\n执法记录仪\n")])
    engine = Engine(tmp_path)
    assert {"b.txt"} == found(engine, "局长信箱")[0]
    assert {"b.txt"} == found(engine, "执法记录仪")[0]
    assert {"a.txt"} == found(engine, '"执法 记录仪"')[0]
    assert {"a.txt", "b.txt"} == found(engine, "局长 信箱")[0]


ALPHABET = "执法记录仪局长信箱警务２0２1AbＡ執錄，。、 \n（）-"


def _random_reports(rng, n):
    reports = []
    for i in range(n):
        body = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(20, 120)))
        reports.append(make_report(f"x{i}.txt", f"一、情况\n{body}\n二、问题\n{body[::-1]}\n",
                                   title=f"报告{i}", agency="某局"))
    return reports


def test_exact_equals_grep_on_random_text_with_separators(tmp_path):
    """Queries with punctuation, spaces, full-width and traditional forms against a small dense corpus."""
    rng = random.Random(SEED + 2)
    reports = _random_reports(rng, 40)
    build_index(tmp_path, reports)
    engine = Engine(tmp_path)
    texts = {r["file"]: normalize_text("\n".join([r["title"], r["agency"], r["text"]])) for r in reports}
    wrong = {}
    for _ in range(300):
        src = rng.choice(reports)["text"]
        start = rng.randrange(len(src) - 8)
        raw = src[start:start + rng.randint(1, 8)].strip()
        norm = normalize_text(raw)
        if not norm.strip() or "\n" in raw or '"' in raw:
            continue
        pattern = re.compile(r"[^\S\n]+".join(map(re.escape, norm.split())))  # spaces within a line
        expected = {f for f, t in texts.items() if pattern.search(t)}
        got, _ = found(engine, f'"{raw}"')
        if got != expected:
            wrong[raw] = (sorted(expected), sorted(got))
    assert {} == wrong


@pytest.mark.parametrize("q, kind, hit", [
    ("执法", [], True),
    ("执法", ["问题不足"], True),
    ("记录仪", ["问题不足"], False),
    ("记录仪", ["举措成效"], True),
    ("信访", ["举措成效"], True),  # a sub-section has its level-1 ancestor's kinds
    ("信访", ["问题不足"], False),
    ("前言", ["举措成效", "问题不足"], False),  # the preamble has no kind
    ("前言", [], True),
    ("章节:问题", [], True),
    ("章节:存在", ["问题不足"], True),
    ("章节:存在", ["举措成效"], False),
    ("章节:执法", [], False),
    ("章节:细节", [], True),
    ("heading:问题整改", [], False),  # in the text of a section, not in a heading
    ("标题:2021", ["问题不足"], True),
    ("同句(执法 记录仪)", [], True),
    ("同句(执法 局长)", [], False),
    ("同段(记录仪 局长信箱)", [], True),
    ("同段(记录仪 信访)", [], False),
    ("同句(信访 问题)", [], True),  # a comma does not end a sentence
    ("同句(局长 配备)", [], False),
    ("同段(局长 配备)", [], True),
    ("同句(执法 规范)", ["问题不足"], True),
    ("同句(执法 规范)", ["举措成效"], False),
])
def test_kinds_scopes_and_units(kind_engine, q, kind, hit):
    assert hit == bool(kind_engine.search(SearchRequest(q=q, kind=kind)).total)


@pytest.mark.parametrize("q, kinds", [
    ("执法", NO_KIND | 0b1 | 0b10),  # the preamble, 主要举措 (举措成效) and 存在问题 (问题不足)
    ("信访", 0b1),  # a sub-section: its level-1 ancestor's kinds
    ("前言", NO_KIND),
    ("章节:存在", 0b10),
    ("章节:执法", 0),
    ("标题:2021", ALL_KINDS),  # a report-level property: whatever kinds are selected
    ("同句(执法 记录仪)", 0b1),
    ("同段(局长 配备)", 0b1),
    ("同句(局长 配备)", 0),
    ("不存在", 0),
])
def test_a_leaf_is_the_kinds_of_the_sections_where_it_matches(kind_engine, q, kinds):
    from search.matching import leaf
    from search.plan import QueryPlan

    with kind_engine.reading() as st:
        assert [kinds] == leaf(st, QueryPlan.of(q).tree).tolist()


def test_evaluate_combines_leaves_per_report_for_the_selected_kinds(tmp_path):
    from search.matching import evaluate
    from search.plan import QueryPlan

    build_index(tmp_path, [make_report("a.txt", "一、举措\n执法\n二、问题\n信访\n",
                                       kinds={"一、举措": ["举措成效"], "二、问题": ["问题不足"]}),
                           make_report("b.txt", "一、举措\n执法信访\n", kinds={"一、举措": ["举措成效"]}),
                           make_report("c.txt", "一、情况\n其他\n")])
    engine = Engine(tmp_path)
    queries = ["执法 信访", "执法 OR 其他", "-执法", "执法 -信访", "", "同句(执法 信访)"]
    with engine.reading() as st:
        everywhere = {q: evaluate(st, QueryPlan.of(q).tree, ALL_KINDS).tolist() for q in queries}
        measures = {q: evaluate(st, QueryPlan.of(q).tree, 0b1).tolist() for q in queries}
    engine.close()
    assert {"执法 信访": [True, True, False], "执法 OR 其他": [True, True, True], "-执法": [False, False, True],
            "执法 -信访": [False, False, False], "": [True, True, True],
            "同句(执法 信访)": [False, True, False]} == everywhere
    # only 举措成效 sections count: a's 信访 is in its 问题不足 section, c has no such section
    assert {"执法 信访": [False, True, False], "执法 OR 其他": [True, True, False], "-执法": [False, False, False],
            "执法 -信访": [True, False, False], "": [True, True, False],
            "同句(执法 信访)": [False, True, False]} == measures


def test_located_matches_are_made_once_for_matching_and_ranking(engine):
    """A term's addresses and section rows: the reference computation (term_starts, then one searchsorted into
    the section table), kept so that ranking reuses matching's arrays; the latest kept within LOCATED_CACHE."""
    import math

    import numpy as np

    from search import matching, ranking
    from search.resultcache import ResultCache

    with engine.reading() as st:
        kept = st.located
        st.located = ResultCache(math.inf, matching.LOCATED_CACHE, matching.located_bytes)
        st.term_stats.clear()
        st.term_stats_bytes = 0
        matching.exact(st, "执法记录仪")
        starts, entry, width = st.located.get("执法记录仪")
        ref_starts, ref_width = matching.term_starts(st, "执法记录仪")
        ref_entry = np.searchsorted(st.columns.sections.addr, ref_starts, side="right") - 1
        assert (ref_starts.tolist(), ref_entry.tolist(), ref_width) == (starts.tolist(), entry.tolist(), width)
        assert len(starts) > 0 and entry.dtype == np.int32
        m = ranking.term_matches(st, "执法记录仪")
        assert m.starts is starts and m.entry is entry  # not aligned and placed again
        st.located.max_bytes = starts.nbytes + entry.nbytes
        matching.located(st, "法治")
        assert ["法治"] == list(st.located._items)  # the older one out; the newest always stays
        assert st.located.nbytes == sum(a.nbytes + e.nbytes for (a, e, _), _ in st.located._items.values())
        st.located = kept


@pytest.mark.parametrize("heading", [False, True])
def test_kinds_at_ors_each_reports_section_kinds_match_by_match(engine, heading):
    """Per report, the OR of the kind masks of the sections holding its matches (NO_KIND before its first
    section; in a heading only, with ``heading``), as written out match by match."""
    import numpy as np

    from search.grams import SHIFT
    from search.matching import kinds_at, located

    held = []
    with engine.reading() as st:
        sec = st.columns.sections
        for term in ("执法记录仪", "法治政府", "工作", "问题", "公安机关", "法治政府建设"):
            starts, entry, width = located(st, term)
            expected = [0] * st.size
            for a, e in zip(starts.tolist(), entry.tolist()):
                inside = int(sec.doc[e]) == a >> SHIFT
                if heading and not (inside and a + width <= int(sec.body[e])):
                    continue
                expected[int(st.columns.doc_report[a >> SHIFT])] |= int(sec.mask[e]) if inside else NO_KIND
            assert expected == kinds_at(st, starts, width, heading, entry).tolist()
            assert expected == kinds_at(st, starts, width, heading).tolist()
            held.append(any(expected))
    assert any(held)
