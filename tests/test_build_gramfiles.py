"""Gram, word and fingerprint files (indexer.build.gramfiles): every segment of a generation has them, merged
segments too."""

from __future__ import annotations

from build_helpers import SEEDS
from indexer.build import build
from search.schema import open_index


def test_every_segment_has_its_gram_file_after_incremental_builds(built):
    """Each build adds a segment (Whoosh's merge policy may fold small ones together); every segment has
    its gram file, and searches equal those over a fresh build of the same corpus."""
    from search.engine import Engine, SearchRequest
    from search.fingerprints import SUFFIX as PRINTS
    from search.grams import SUFFIX
    from search.words import SUFFIX as WORDS

    corpus, index_dir = built
    for i in range(6):  # one small segment per build: MERGE_SMALL merges some of them
        (corpus / f"more-{i}.txt").write_bytes(SEEDS[i % len(SEEDS)].read_bytes())
        build(corpus, index_dir, workers=1)
    gen = index_dir / (index_dir / "CURRENT").read_text().strip()
    ix = open_index(index_dir)
    with ix.reader() as reader:
        segments = {sub.segment().segment_id() for sub, _ in reader.leaf_readers()}
    ix.close()
    assert segments == {p.name[: -len(SUFFIX)] for p in gen.iterdir() if p.name.endswith(SUFFIX)}
    assert segments == {p.name[: -len(PRINTS)] for p in gen.iterdir() if p.name.endswith(PRINTS)}
    assert segments == {p.name[: -len(WORDS)] for p in gen.iterdir() if p.name.endswith(WORDS)}
    fresh = index_dir.parent / "fresh"
    build(corpus, fresh, workers=1)
    for q in ("执法记录仪", "法", "同句(执法 记录)", "标题:报告", "章节:法治"):
        pages = []
        for where in (index_dir, fresh):
            engine = Engine(where)
            result = engine.search(SearchRequest(q=q, limit=100)).to_dict()
            engine.close()
            pages.append(sorted((h["file"], [s["index"] for s in h["sections"]]) for h in result["hits"]))
        assert pages[0] == pages[1], q
        assert pages[0], q
    words = []
    for where in (index_dir, fresh):
        engine = Engine(where)
        with engine.reading() as st:
            store, cols = st.words(), st.columns
            report_of = {int(h): cols.reports[r]["file"] for r, h in enumerate(cols.heads.tolist())}
            words.append({w: (store.doc_frequency(w), store.frequency(w),
                              sorted((report_of[d], n) for d, n in zip(*(a.tolist() for a in store.postings(w)))))
                          for w in ("执法", "公安", "法治政府", "执法记录仪", "问题")})
        engine.close()
    assert words[0] == words[1]
    assert all(df >= 2 for df, _, _ in words[0].values()), words[0]
    from search.overlap import overlap

    copies = []
    for where in (index_dir, fresh):
        engine = Engine(where)
        copies.append(overlap(engine, SEEDS[0].name).to_dict())
        engine.close()
    assert copies[0] == copies[1]
    assert "more-0.txt" in [s["file"] for s in copies[0]["sources"]]
