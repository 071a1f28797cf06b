"""Benchmark ground truth: a grep of the normalized corpus (NFKC + casefold), with facets from the manifest.

A report is relevant to a query when every term occurs in its file's text after the same normalization and
its true province/year (from the generator's manifest) pass the query's filters.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from bench.queries import Query


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def passes(meta: dict, query: Query) -> bool:
    if query.province and meta["province"] not in query.province:
        return False
    if query.year_from is not None and meta["year"] < query.year_from:
        return False
    return query.year_to is None or meta["year"] <= query.year_to


def grep_truth(corpus_dir: Path, manifest: list[dict], queries: list[Query]) -> list[set[str]]:
    """For each query, the set of report files (the manifest's "file") that match it."""
    texts = {m["file"]: normalize((corpus_dir / m["file"]).read_text(encoding="utf-8")) for m in manifest}
    truth = []
    for query in queries:
        terms = [normalize(t) for t in query.terms]
        truth.append({m["file"] for m in manifest if passes(m, query) and all(t in texts[m["file"]] for t in terms)})
    return truth


def recall_precision(truth: list[set[str]], found: list[set[str]]) -> tuple[float, float]:
    """Micro-averaged over all queries: Σ|found ∩ truth| / Σ|truth| and / Σ|found| (1.0 when empty)."""
    hits = sum(len(t & f) for t, f in zip(truth, found))
    relevant, returned = sum(map(len, truth)), sum(map(len, found))
    return (hits / relevant if relevant else 1.0), (hits / returned if returned else 1.0)
