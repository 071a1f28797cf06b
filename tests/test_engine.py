"""search.engine on a real index of the seeds: exactness against a grep, boolean logic, facets, pages."""

import random
import re
from collections import Counter

import pytest

from search.analysis import normalize_text
from search.engine import Engine, QueryError, SearchRequest
from search_helpers import build_index, make_report

SEED = 20261122
RUN = re.compile(r"[^\W_]+")
OPERATOR_WORDS = {"OR", "AND", "NOT", "或", "与", "非"}


@pytest.fixture(scope="module")
def grep(corpus_dir):
    """report id → normalized title + agency + text: what a user's Ctrl+F would search."""
    from indexer.parse import parse_file

    out = {}
    for path in sorted(corpus_dir.iterdir()):
        r = parse_file(path, root=corpus_dir)
        out[r.file] = normalize_text("\n".join([r.title or "", r.agency or "", r.text]))
    return out


def found(engine, q, **kw):
    result = engine.search(SearchRequest(q=q, limit=10000, **kw))
    return {h["file"] for h in result.hits}, result


def containing(grep, s):
    s = normalize_text(s)
    return {rid for rid, text in grep.items() if s in text}


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


@pytest.mark.parametrize("q", ["执法 记录仪", "公安", "法治 -执法记录仪", ""])
def test_facet_counts_equal_counts_from_the_hit_list(engine, q):
    _, result = found(engine, q)
    for name in ("province", "city", "county", "agency", "level", "sector", "year"):
        from_hits = Counter(h[name] for h in result.hits if h[name] is not None)
        from_facet = {f["value"]: f["count"] for f in result.facets[name]}
        assert dict(from_hits) == from_facet, name
    assert len(result.hits) == result.total


def test_selecting_a_facet_value_keeps_the_others_and_matches_its_count(engine):
    _, unfiltered = found(engine, "公安")
    cities = {f["value"]: f["count"] for f in unfiltered.facets["city"]}
    assert len(cities) > 1
    for city, count in cities.items():
        got, result = found(engine, "公安", city=[city])
        assert count == result.total
        assert cities == {f["value"]: f["count"] for f in result.facets["city"]}
        assert [city] == [f["value"] for f in result.facets["city"] if f["selected"]]


def test_kind_facet_counts_equal_kind_filtered_totals(engine):
    _, result = found(engine, "执法")
    assert result.facets["kind"]
    for f in result.facets["kind"]:
        _, filtered = found(engine, "执法", kind=[f["value"]])
        assert f["count"] == filtered.total
        for hit in filtered.hits:
            assert all(f["value"] in s["kinds"] for s in hit["sections"])


def test_year_filter_one_year_and_range(engine, grep):
    _, all_years = found(engine, "")
    years = Counter(h["year"] for h in all_years.hits)
    y = min(years)
    _, one = found(engine, "", year_from=y, year_to=y)
    _, span = found(engine, "", year_from=y, year_to=max(years))
    assert (years[y], len(grep)) == (one.total, span.total)


def test_sections_snippets_and_heading_paths(engine):
    result = engine.search(SearchRequest(q="执法记录仪"))
    sections = [s for h in result.hits for s in h["sections"]]
    assert sections
    for s in sections:
        assert s["matches"] == sum(x.count("<mark>") for x in s["snippets"]) or len(s["snippets"]) == 3
        assert all("<mark>执法记录仪</mark>" in x for x in s["snippets"])
        assert s["path"][-1] == s["heading"]


def test_hits_ranked_and_sections_ordered_by_score(engine):
    result = engine.search(SearchRequest(q="法治 公安", limit=50))
    scores = [h["score"] for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for h in result.hits:
        sec = [s["score"] for s in h["sections"]]
        assert sec == sorted(sec, reverse=True)


def test_paging_partitions_the_list(engine):
    whole = [h["file"] for h in engine.search(SearchRequest(q="公安", limit=100)).hits]
    pages = [h["file"] for p in (1, 2, 3) for h in engine.search(SearchRequest(q="公安", limit=2, page=p)).hits]
    assert whole == pages


def test_sort_by_year(engine):
    years = [h["year"] for h in engine.search(SearchRequest(q="公安", sort="year", limit=100)).hits]
    assert years == sorted(years, reverse=True)


@pytest.mark.parametrize("request_kw, message", [
    ({"mode": "fuzzy"}, "mode must be one of exact, words, not 'fuzzy'"),
    ({"sort": "date"}, "sort must be one of relevance, year, not 'date'"),
    ({"page": 0}, "page must be a whole number ≥ 1, not 0"),
    ({"limit": 0}, "limit must be between 1 and 10000, not 0"),
    ({"year_from": 2022, "year_to": 2020}, "year range 2022-2020 is empty: the first year is later"),
])
def test_bad_parameters_raise_query_error(engine, request_kw, message):
    with pytest.raises(QueryError) as e:
        engine.search(SearchRequest(q="公安", **request_kw))
    assert message == str(e.value)


def test_words_mode_and_suggestion(engine, grep):
    # jieba words of the query in any order: 记录仪 … 执法 anywhere in the same report
    q = "记录仪执法"
    exact, result = found(engine, q)
    words, _ = found(engine, q, mode="words")
    assert containing(grep, q) == exact
    assert {r for r in grep if "记录仪" in grep[r] and "执法" in grep[r]} == words
    if len(words) > len(exact):
        assert {"mode": "words", "q": q, "total": len(words)} == result.suggestion


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


def test_report_page(engine, grep):
    rid = sorted(grep)[0]
    report = engine.report(rid)
    assert rid == report["file"]
    for s in report["sections"]:
        assert report["text"][s["start"]:s["end"]] == s["text"]
        assert s["text"].startswith(s["heading"])
    assert engine.report("no/such.txt") is None


# ---------------------------------------------------------------- hand-made indexes


def test_snippets_escape_report_text(tmp_path):
    text = "一、总体情况\n页面出现<script>alert('x')</script>执法记录仪&更多。\n"
    build_index(tmp_path, [make_report("x.txt", text, title="测试报告")])
    result = Engine(tmp_path).search(SearchRequest(q="执法记录仪"))
    [snippet] = result.hits[0]["sections"][0]["snippets"]
    assert "页面出现&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<mark>执法记录仪</mark>&amp;更多。" == snippet


def test_terms_never_match_across_separators(tmp_path):
    build_index(tmp_path, [make_report("a.txt", "一、情况\n局长，信箱\n执法 记录仪\n"),
                           make_report("b.txt", "一、情况\n局长信箱\n执法记录仪\n")])
    engine = Engine(tmp_path)
    assert {"b.txt"} == found(engine, "局长信箱")[0]
    assert {"b.txt"} == found(engine, "执法记录仪")[0]
    assert {"a.txt"} == found(engine, '"执法 记录仪"')[0]
    assert {"a.txt", "b.txt"} == found(engine, "局长 信箱")[0]


def test_engine_reopens_when_current_changes(tmp_path):
    build_index(tmp_path / "gen-000001", [make_report("a.txt", "一、情况\n执法\n")])
    build_index(tmp_path / "gen-000002", [make_report("a.txt", "一、情况\n执法\n"),
                                          make_report("b.txt", "一、情况\n执法\n")])
    (tmp_path / "CURRENT").write_text("gen-000001")
    engine = Engine(tmp_path)
    assert 1 == engine.search(SearchRequest(q="执法")).total
    (tmp_path / "CURRENT").write_text("gen-000002")
    engine.refresh()
    assert 2 == engine.search(SearchRequest(q="执法")).total


def test_missing_metadata_stays_missing(tmp_path):
    build_index(tmp_path, [make_report("a.txt", "一、情况\n执法\n", year=2021, province="广东"),
                           make_report("b.txt", "一、情况\n执法\n")])
    result = Engine(tmp_path).search(SearchRequest(q="执法", sort="year"))
    assert [("a.txt", 2021, "广东"), ("b.txt", None, None)] == [(h["file"], h["year"], h["province"])
                                                                for h in result.hits]
    assert [{"value": 2021, "count": 1, "selected": False}] == result.facets["year"]


def test_several_segments_and_deleted_reports(tmp_path):
    """Posting blocks are read directly: docnum offsets of segments and deletions must be honoured."""
    from indexer.build.gramfiles import backfill
    from search.schema import open_index, section_documents

    reports = [make_report(f"r{i}.txt", f"一、情况\n第{i}份报告，执法记录仪{'使用' * i}。\n（一）细节\n局长信箱{i}\n")
               for i in range(6)]
    build_index(tmp_path, reports[:3])
    ix = open_index(tmp_path)
    w = ix.writer()
    for r in reports[3:]:
        for doc in section_documents(r):
            w.add_document(**doc)
    w.commit(merge=False)
    backfill(tmp_path)
    w = ix.writer()
    w.delete_by_term("report_id", "r1.txt")
    w.delete_by_term("report_id", "r4.txt")
    w.commit(merge=False)
    engine = Engine(tmp_path)
    assert 2 == len(engine._state.reader.leaf_readers())
    expected = {"r0.txt", "r2.txt", "r3.txt", "r5.txt"}
    assert expected == found(engine, "执法记录仪")[0]
    assert expected == found(engine, "局长信箱")[0]
    assert {"r3.txt"} == found(engine, "局长信箱3")[0]
    assert {"r2.txt", "r3.txt", "r5.txt"} == found(engine, "使用使用")[0]
    assert set() == found(engine, "第1份")[0]



def test_concurrent_searches_while_the_generation_changes(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    build_index(tmp_path / "gen-000001", [make_report("a.txt", "一、情况\n执法记录仪\n")])
    build_index(tmp_path / "gen-000002", [make_report(f"{c}.txt", "一、情况\n执法记录仪\n") for c in "ab"])
    (tmp_path / "CURRENT").write_text("gen-000001")
    engine = Engine(tmp_path)

    def search(i):
        if i % 10 == 5:
            (tmp_path / "CURRENT").write_text(f"gen-00000{1 + (i // 10) % 2}")
            engine.refresh()
        return engine.search(SearchRequest(q="执法记录仪")).total

    with ThreadPoolExecutor(8) as pool:
        totals = set(pool.map(search, range(60)))
    assert totals <= {1, 2} and totals


def test_hits_without_sections_list_the_same_reports(engine):
    full = engine.search(SearchRequest(q="执法", limit=100))
    bare = engine.search(SearchRequest(q="执法", limit=100, sections=False))
    assert [h["file"] for h in full.hits] == [h["file"] for h in bare.hits]
    assert {0} == {len(h["sections"]) for h in bare.hits}


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


KIND_TEXT = ("某局2021年报告\n前言写到执法。\n一、主要举措\n执法记录仪全面配备。局长信箱开通。\n（一）细节\n信访件办结，"
             "问题整改。\n二、存在问题\n执法不规范。\n")


@pytest.fixture(scope="module")
def kind_engine(tmp_path_factory):
    path = tmp_path_factory.mktemp("kinds")
    build_index(path, [make_report("k.txt", KIND_TEXT, title="某局2021年报告",
                                   kinds={"一、主要举措": ["举措成效"], "二、存在问题": ["问题不足"]})])
    return Engine(path)


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


def test_kind_facet_counts_on_a_known_report(kind_engine):
    facets = kind_engine.search(SearchRequest(q="执法")).facets["kind"]
    assert [{"value": "举措成效", "count": 1, "selected": False},
            {"value": "问题不足", "count": 1, "selected": False}] == facets


def test_sections_shown_for_a_near_group_satisfy_it(kind_engine):
    hit = kind_engine.search(SearchRequest(q="同句(执法 记录仪)")).hits[0]
    assert [["一、主要举措"]] == [s["path"] for s in hit["sections"]]
    assert ["<mark>执法</mark><mark>记录仪</mark>全面配备。"] == hit["sections"][0]["snippets"]


@pytest.mark.parametrize("word", ["问题", "执法", "2022"])
def test_heading_scope_lists_exactly_the_sections_whose_heading_holds_the_term(engine, corpus_dir, word):
    from indexer.parse import parse_file

    expected = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        report = parse_file(path, root=corpus_dir)
        headings = sorted(s.heading for s in report.sections if word in normalize_text(s.heading))
        if headings:
            expected[report.file] = headings
    result = engine.search(SearchRequest(q=f"章节:{word}", limit=100)).to_dict()
    actual = {h["file"]: sorted(s["heading"] for s in h["sections"]) for h in result["hits"]}
    assert expected == actual


def test_a_search_past_the_time_limit_is_stopped_with_a_message(seed_index):
    from search.engine import QueryTimeout

    slow = Engine(seed_index, time_limit=0.0)
    with pytest.raises(QueryTimeout, match="查询过于复杂"):
        slow.search(SearchRequest(q="法治"))
    slow.time_limit = 10.0  # the state is usable afterwards: the deadline does not linger
    assert 5 == slow.search(SearchRequest(q="法治")).total


def test_a_merged_segment_gets_its_gram_file_from_stored_text(tmp_path):
    """Merging segments (Whoosh's optimize/merge policy) makes a segment without a gram file: the engine
    refuses it with a rebuild hint, and ``backfill`` writes it from the stored text and columns."""
    from indexer.build.gramfiles import backfill
    from search.schema import IndexFormatError, open_index, section_documents

    reports = [make_report(f"r{i}.txt", f"一、情况\n第{i}份报告，执法记录仪{'使用' * i}。\n（一）细节\n局长信箱{i}\n",
                           kinds={"一、情况": ["举措成效"]}, title=f"报告{i}")
               for i in range(6)]
    build_index(tmp_path, reports[:3])
    ix = open_index(tmp_path)
    with ix.writer() as w:
        for r in reports[3:]:
            for doc in section_documents(r):
                w.add_document(**doc)
    backfill(tmp_path)
    before = Engine(tmp_path)
    queries = ["执法记录仪", "局长信箱3", "使用使用", "标题:报告4", "章节:情况", "同句(报告 使用)"]
    expected = [before.search(SearchRequest(q=q, kind=["举措成效"])).to_dict() for q in queries]
    before.close()
    open_index(tmp_path).optimize()
    with pytest.raises(IndexFormatError, match="rebuild"):
        Engine(tmp_path)
    assert 1 == backfill(tmp_path)
    after = Engine(tmp_path)
    assert 1 == len(after._state.reader.leaf_readers())
    for q, page in zip(queries, expected):
        assert page["total"] > 0, q
        assert page == after.search(SearchRequest(q=q, kind=["举措成效"])).to_dict(), q
    after.close()
