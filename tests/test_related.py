"""search.related on the seed index and on a tiny hand-made one: other reports' sections only, best first."""

from collections import Counter

import pytest

from search.engine import Engine
from search.related import PER_REPORT, TOP, related
from search_helpers import build_index, make_report


@pytest.fixture(scope="module")
def reports(engine, truth):
    return {t["file"]: engine.report(t["file"]) for t in truth}


def test_related_never_returns_the_source_report(engine, reports):
    for rid, report in reports.items():
        for section in report["sections"]:
            data = related(engine, rid, section["index"]).to_dict()
            files = [r["file"] for r in data["related"]]
            assert rid not in files
            assert len(files) <= TOP and all(files.count(f) <= PER_REPORT for f in files)
            scores = [r["score"] for r in data["related"]]
            assert sorted(scores, reverse=True) == scores
            for r in data["related"]:
                other = reports[r["file"]]["sections"][r["index"]]
                assert (other["index"], other["heading"], other["path"], other["kinds"]) == (
                    r["index"], r["heading"], r["path"], r["kinds"])


def test_problems_sections_find_problems_sections(engine, reports):
    """A 问题不足 section of one bureau is most like another bureau's 问题不足 section (the genre's habit)."""
    for rid, report in reports.items():
        for section in report["sections"]:
            if section["parent"] is None and "问题不足" in section["kinds"]:
                top = related(engine, rid, section["index"]).to_dict()["related"][:3]
                assert any("问题不足" in r["kinds"] for r in top), (rid, section["heading"])


@pytest.mark.parametrize("report_id, index", [("nothing.txt", 0), ("000_27c9d69931be37ee.txt", 10_000),
                                              ("000_27c9d69931be37ee.txt", -1)])
def test_unknown_report_or_section_is_none(engine, report_id, index):
    assert related(engine, report_id, index) is None


def test_a_copied_paragraph_is_found_first(tmp_path):
    shared = "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，执法记录仪配备率达到百分之百。"
    reports = [
        make_report("a.txt", f"一、工作成效\n{shared}\n二、存在问题\n队伍素质有待提高。\n", agency="甲市公安局", year=2021),
        make_report("b.txt", f"一、主要做法\n加强组织领导。\n二、三项制度\n{shared}\n", agency="乙市公安局", year=2022),
        make_report("c.txt", "一、主要做法\n开展普法宣传进社区活动。\n二、存在问题\n基层警力不足。\n", agency="丙市公安局", year=2022),
    ]
    build_index(tmp_path / "index", reports)
    engine = Engine(tmp_path / "index")
    try:
        data = related(engine, "a.txt", 0).to_dict()
        assert ("b.txt", 1, "二、三项制度") == tuple(data["related"][0][k] for k in ("file", "index", "heading"))
        assert data["related"][0]["excerpt"] == shared
        assert {"a.txt"}.isdisjoint(r["file"] for r in data["related"])
    finally:
        engine.close()


@pytest.fixture(scope="module")
def bench_engine(tmp_path_factory, corpus_dir):
    """A real index of 60 bench reports (recombined seed paragraphs: many reports alike, many near-ties)."""
    import subprocess
    import sys

    from indexer.build import build

    out = tmp_path_factory.mktemp("related-bench")
    subprocess.run([sys.executable, "-m", "bench.corpus", "--reports", "60", "--out", str(out)],
                   cwd=corpus_dir.parent, check=True, capture_output=True)
    build(out / "corpus-60", out / "index", workers=1)
    return Engine(out / "index")


def _reference(engine):
    """The reference: a Whoosh index with each report's words (``search.schema.word_source``) as a words field,
    document for document like the engine's index (the same docnums, counts and lengths)."""
    from whoosh.analysis import RegexTokenizer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from search.schema import StoredReports, word_source

    ix = RamStorage().create_index(Schema(report_id=ID(stored=True), rwords=TEXT(analyzer=RegexTokenizer(r"[^\n]+"))))
    with engine.reading() as st, ix.writer() as w:
        stored, cols = StoredReports(st.searcher), st.columns
        heads = set(cols.heads.tolist())
        for d in range(st.reader.doc_count_all()):
            r = int(cols.doc_report[d])
            w.add_document(report_id=cols.reports[r]["file"] if r >= 0 else "",
                           rwords="\n".join(word_source(stored(d))) if d in heads else "")
    return ix


def _whoosh_terms(searcher, text, n):
    """Whoosh's key terms of ``text`` (what ``Searcher.key_terms_from_text`` does over a jieba words field)."""
    from whoosh.classify import Bo1Model, Expander

    from search.analysis import word_tokens

    expander = Expander(searcher.reader(), "rwords", model=Bo1Model)
    expander.add(Counter(w for _, w in word_tokens(text)).items())
    return expander.expanded_terms(n, normalize=True)


def _whoosh_similar(searcher, report_id, terms, limit):
    """Whoosh's own search of the boosted OR over the words field, the source report masked."""
    from whoosh import query as wq

    q = wq.Or([wq.Term("rwords", t, boost=w) for t, w in terms])
    return [h["report_id"] for h in searcher.search(q, limit=limit, mask=wq.Term("report_id", report_id))]


@pytest.mark.parametrize("which", ["seeds", "bench"])
def test_key_terms_and_similar_reports_are_whooshs_over_a_words_field(engine, bench_engine, which):
    from search.related import CANDIDATES, KEY_TERMS, expanded_terms, key_terms, similar_reports

    e = engine if which == "seeds" else bench_engine
    with e.reading() as st:
        files = [m["file"] for m in st.columns.reports][:12]
    checked = 0
    with _reference(e).searcher() as ref:
        for rid in files:
            for section in e.report(rid)["sections"][:4]:
                with e.reading() as st:
                    assert _whoosh_terms(ref, section["text"], KEY_TERMS * 3) == expanded_terms(
                        st, section["text"], KEY_TERMS * 3)
                    terms = key_terms(st, section["text"])
                if not terms:
                    continue
                for limit in (3, CANDIDATES):
                    assert _whoosh_similar(ref, rid, terms, limit) == similar_reports(e, rid, terms, limit), (rid, limit)
                checked += 1
    assert checked >= 10
