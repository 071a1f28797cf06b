"""search.ranking: sections scored from the index, reports by their best sections (or by year)."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from search.engine import Engine, SearchRequest
from search_helpers import build_index, make_report


def test_hits_ranked_and_sections_ordered_by_score(engine):
    result = engine.search(SearchRequest(q="法治 公安", limit=50))
    scores = [h["score"] for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for h in result.hits:
        sec = [s["score"] for s in h["sections"]]
        assert sec == sorted(sec, reverse=True)


def test_sort_by_year(engine):
    years = [h["year"] for h in engine.search(SearchRequest(q="公安", sort="year", limit=100)).hits]
    assert years == sorted(years, reverse=True)


def test_idf():
    from search.ranking import idf

    assert [math.log(1 + 9.5 / 1.5), math.log(1 + 1.5 / 9.5), math.log(4)] == [idf(10, 1), idf(10, 9), idf(0, 0)]


def test_order_by_year_or_by_score_then_year():
    from search.plan import QueryPlan
    from search.ranking import order

    st = SimpleNamespace(columns=SimpleNamespace(year_rank=np.array([3, 0, 2, 1])))
    listed = np.array([True, True, False, True])
    assert ([1, 3, 0], None, None) == (lambda o: (o[0].tolist(), o[1], o[2]))(order(st, QueryPlan.of("执法"), listed,
                                                                                     "year"))
    assert ([1, 3, 0], None, None) == (lambda o: (o[0].tolist(), o[1], o[2]))(order(st, QueryPlan.of(""), listed,
                                                                                     "relevance"))


def test_report_score_is_the_best_section_plus_the_next_ones_damped():
    from search.ranking import DAMPING, PARTIAL, SectionScores

    scored = SectionScores(report=np.array([0, 0, 0, 1]), sec=np.array([0, 1, 2, 0]), score=np.array([1.0, 4.0, 2.0, 3.0]),
                           holds_all=np.array([True, True, False, True]), holds=np.array([3, 3, 1, 3]), factors={},
                           idfs=[1.0, 1.0])
    assert pytest.approx([4.0 + DAMPING * 1.0 + DAMPING ** 2 * PARTIAL * 2.0, 3.0, 0.0]) == \
        scored.report_scores(3).tolist()
    assert {0: (1.0, 3), 1: (4.0, 3), 2: (2.0, 1)} == scored.of_report(0)


@pytest.mark.parametrize("q, held, expected", [
    ("执法 培训", {"执法", "培训"}, True), ("执法 培训", {"执法"}, False), ("执法 OR 培训", {"培训"}, True),
    ("执法 -信访", {"执法"}, True), ("标题:公安 执法", {"执法"}, True), ("同句(执法 培训)", {"培训"}, False),
])
def test_a_section_answers_the_query_by_itself(q, held, expected):
    from search.query import parse
    from search.ranking import satisfies

    assert expected == satisfies(parse(q).tree, held)


def test_term_matches_weigh_cited_titles_lists_and_the_heading(tmp_path):
    from search.ranking import WEAK_WEIGHTS, term_matches
    from search.weakspans import LIST, TITLE

    text = "一、执法监督\n落实《执法监督条例》。开展执法监督检查12次。\n二、其他\n普法、信访、执法监督、复议等工作。\n"
    build_index(tmp_path, [make_report("a.txt", text)])
    engine = Engine(tmp_path)
    with engine.reading() as st:
        m = term_matches(st, "执法监督")
    engine.close()
    assert [1.0, WEAK_WEIGHTS[TITLE], 1.0, WEAK_WEIGHTS[LIST]] == m.weight.tolist()
    assert [True, False, False, False] == m.in_heading.tolist()
    # 3 units (the opening and two sections), the term in 2 of them
    assert pytest.approx(math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))) == m.idf


def test_the_term_statistics_cache_keeps_its_byte_count_and_bound(seed_index, monkeypatch):
    from search import ranking

    engine = Engine(seed_index)
    with engine.reading() as st:
        whole = [ranking._nbytes(ranking.term_matches(st, t)) for t in ("公安", "执法", "法治")]
        monkeypatch.setattr(ranking, "STATS_CACHE", whole[1] + whole[2])
        again = ranking.term_matches(st, "执法")  # answered from the cache, now the most recent
        ranking.term_matches(st, "工作")  # past the bound: the least recent go
        kept = list(st.term_stats)
        held = sum(ranking._nbytes(m) for m in st.term_stats.values())
    engine.close()
    assert again.starts.size and min(whole) > 0
    assert held == st.term_stats_bytes
    assert (held <= whole[1] + whole[2] or len(kept) == 1) and kept[-1] == "工作" and "公安" not in kept


def test_the_section_about_the_topic_outranks_labels_and_repetition(tmp_path):
    about = make_report("about.txt", "一、主要工作\n（一）推行执法记录仪\n全所配备执法记录仪80台，执法全程记录，每月抽查回放。\n")
    labels = make_report("labels.txt", "一、主要工作\n（一）规范执法\n落实《执法记录仪使用规定》《执法记录仪管理办法》，"
                                       "推进执法记录仪、执法办案场所、涉案财物、案件审核等建设，提升执法记录仪使用水平。\n")
    build_index(tmp_path, [labels, about])
    engine = Engine(tmp_path)
    result = engine.search(SearchRequest(q="执法记录仪"))
    engine.close()
    assert ["about.txt", "labels.txt"] == [h["file"] for h in result.hits]
    assert [["一、主要工作", "（一）推行执法记录仪"]] == [s["path"] for s in result.hits[0]["sections"]]


def test_sections_holding_every_term_are_listed_and_the_others_only_without_them(tmp_path):
    text = "一、情况\n（一）执法培训\n开展执法培训5期。\n（二）执法监督\n开展执法检查。\n（三）其他\n组织业务培训。\n"
    spread = "一、情况\n（一）执法检查\n执法检查。\n（二）业务培训\n组织业务培训。\n"
    build_index(tmp_path, [make_report("a.txt", text), make_report("b.txt", spread)])
    engine = Engine(tmp_path)
    result = engine.search(SearchRequest(q="执法 培训"))
    engine.close()
    by_file = {h["file"]: {s["path"][-1] for s in h["sections"]} for h in result.hits}
    assert {"a.txt": {"（一）执法培训"}, "b.txt": {"（一）执法检查", "（二）业务培训"}} == by_file
    assert "a.txt" == result.hits[0]["file"]


def test_an_incremental_build_ranks_as_a_fresh_rebuild_of_the_same_files(tmp_path):
    import shutil
    from pathlib import Path

    from indexer.build import build

    root = Path(__file__).resolve().parents[1]
    judged = sorted((root / "bench" / "ranking" / "reports").glob("*.txt"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted((root / "corpus").glob("*.txt")) + judged[:5]:
        shutil.copy(f, corpus / f.name)
    build(corpus, tmp_path / "incremental", workers=1)
    edited = corpus / judged[0].name  # edit one, add two, delete one
    edited.write_text(edited.read_text(encoding="utf-8") + "\n五、其他\n全面配备执法记录仪，开展执法培训3期。\n",
                      encoding="utf-8")
    for f in judged[5:7]:
        shutil.copy(f, corpus / f.name)
    (corpus / judged[1].name).unlink()
    build(corpus, tmp_path / "incremental", workers=1)
    build(corpus, tmp_path / "fresh", rebuild=True, workers=1)

    def pages(index):
        engine = Engine(index)
        out = [[(h["file"], h["score"], [(s["path"], s["score"]) for s in h["sections"]])
                for h in engine.search(SearchRequest(q=q, limit=100, mode=mode)).hits]
               for q, mode in [("执法记录仪", "exact"), ("行政复议", "exact"), ("执法 培训", "exact"), ("普法", "exact"),
                               ("同句(涉案财物 管理)", "exact"), ("执法规范化建设", "words")]]
        engine.close()
        return out

    incremental = pages(tmp_path / "incremental")
    assert incremental == pages(tmp_path / "fresh")
    assert judged[0].name in [h[0] for h in incremental[0]] and all(incremental)


@pytest.mark.parametrize("q", ["执法 记录仪 法治", "公安 法治", "问题 整改 法治 执法"])
def test_scored_sections_count_each_terms_matches_per_section(engine, q):
    """Several terms' matches merged by address (not sorted again): every row is one section holding a match,
    each section once, with as many matches of each term as the terms' located matches put in it."""
    from collections import Counter

    from search.matching import located
    from search.plan import QueryPlan
    from search.ranking import section_scores

    plan = QueryPlan.of(q)
    with engine.reading() as st:
        scored = section_scores(st, plan, np.ones(st.size, dtype=bool))
        sec = st.columns.sections
        counts = Counter()
        for k, t in enumerate(plan.hit_terms):
            counts.update((int(e), k) for e in located(st, t.text)[1])
        entries = sorted({e for e, _ in counts})
        expected = [(int(st.columns.doc_report[sec.doc[e]]), int(sec.sec[e]),
                     sum(counts[e, k] for k in range(len(plan.hit_terms))),
                     sum(1 << k for k in range(len(plan.hit_terms)) if counts[e, k])) for e in entries]
    assert len(plan.hit_terms) >= 2
    assert expected == list(zip(scored.report.tolist(), scored.sec.tolist(), scored.factors["matches"].tolist(),
                                scored.holds.tolist()))


@pytest.mark.parametrize("q", ["法治", "执法 记录仪", "问题 整改 法治 执法", "公安 -执法"])
def test_report_scores_are_each_reports_sections_best_first_damped(engine, q):
    """Per report: its sections' counted scores (PARTIAL where a section holds only some terms) in falling order,
    the k-th times DAMPING ** k, summed: as written out here report by report."""
    from collections import defaultdict

    from search.plan import QueryPlan
    from search.ranking import DAMPING, PARTIAL, section_scores

    plan = QueryPlan.of(q)
    with engine.reading() as st:
        scored = section_scores(st, plan, np.ones(st.size, dtype=bool))
        got = scored.report_scores(st.size)
        size = st.size
    by_report = defaultdict(list)
    for r, score, whole in zip(scored.report.tolist(), scored.score.tolist(), scored.holds_all.tolist()):
        by_report[r].append(score if whole else PARTIAL * score)
    expected = np.zeros(size)
    for r, values in by_report.items():
        expected[r] = sum(v * DAMPING ** k for k, v in enumerate(sorted(values, reverse=True)))
    assert len(by_report) >= 3
    assert got.tolist() == pytest.approx(expected.tolist(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("terms", range(1, 11))
def test_row_sums_are_numpys_bit_for_bit(terms):
    """The sections' sums over their terms, column by column, are numpy's own sums (values and type)."""
    from search.ranking import _row_sum

    rng = np.random.default_rng(terms)
    for a in (rng.random((5000, terms)) * 10.0 ** rng.integers(-3, 4, (5000, terms)), rng.random((5000, terms)) > 0.5,
              rng.integers(0, 1 << 40, (5000, terms))):
        got, expected = _row_sum(a), a.sum(axis=1)
        assert got.dtype == expected.dtype and np.array_equal(got, expected)


@pytest.mark.parametrize("seed", range(6))
def test_the_first_reports_are_the_head_of_the_whole_order_ties_included(seed):
    """``best`` with ``first``: exactly the first reports of the whole sort (score, then year rank, then ordinal),
    over scores with many ties, for every page length, none, and past the end."""
    from search.ranking import best

    rng = np.random.default_rng(seed)
    size = 400
    reports = np.flatnonzero(rng.random(size) < 0.7)
    scores = rng.integers(0, 6, len(reports)).astype(float) / 3  # few distinct values: ties everywhere
    year_rank = rng.integers(0, 4, size)
    whole = reports[np.lexsort((year_rank[reports], -scores))]
    assert best(reports, scores, year_rank).tolist() == whole.tolist()
    for first in (1, 2, 7, 10, 50, len(reports) // 4, len(reports), len(reports) + 5):
        assert best(reports, scores, year_rank, first).tolist() == whole[:first].tolist()
