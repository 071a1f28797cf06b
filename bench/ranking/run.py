"""Ranking measurement (benchmark): our engine and the obvious build over the judged set, side by side.

Builds our index over the judged reports (the seeds and ``reports/``) in a temporary folder, runs every query
of ``queries.jsonl`` through ``search.engine.Engine`` and through the obvious build (``obvious``), and scores
both against ``judgments.jsonl`` (``metrics``): mean section nDCG@10 and mean reciprocal rank of the best
report, overall and per query kind. ``write_results`` puts the table into bench/RESULTS.md.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from bench.ranking import check_judgments as judged
from bench.ranking.metrics import K, ndcg, reading_order, reciprocal_rank

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"
BEGIN, END = "<!-- ranking: begin -->", "<!-- ranking: end -->"


def load_set():
    """(queries, {query id: {(file, path): grade}}, {query id: set of best files})."""
    queries = [json.loads(line) for line in judged.QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    grades: dict = defaultdict(dict)
    best: dict = {}
    for line in judged.JUDGMENTS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        j = json.loads(line)
        if "best" in j:
            best[j["query"]] = set(j["best"])
        else:
            grades[j["query"]][(j["file"], tuple(j["path"]))] = j["grade"]
    return queries, grades, best


class OurSearch:
    """Our engine over an index of the judged reports, built in a temporary folder."""

    def __init__(self, files: list[Path]):
        from indexer.build import build
        from search.engine import Engine

        self.tmp = tempfile.TemporaryDirectory(prefix="ranking-")
        corpus = Path(self.tmp.name) / "corpus"
        corpus.mkdir()
        for f in files:
            shutil.copy(f, corpus / f.name)
        build(corpus, Path(self.tmp.name) / "index", rebuild=True, workers=1)
        self.engine = Engine(Path(self.tmp.name) / "index")

    def hits(self, q: str) -> list[dict]:
        from search.engine import SearchRequest

        return self.engine.search(SearchRequest(q=q, limit=100)).hits

    def close(self) -> None:
        self.engine.close()
        self.tmp.cleanup()


def measure(system, queries, grades, best) -> list[dict]:
    """Per query: its id, kind, nDCG@10 and reciprocal rank, and the files listed."""
    rows = []
    for q in queries:
        hits = system.hits(q["q"])
        rows.append({"id": q["id"], "q": q["q"], "kind": q["kind"],
                     "ndcg": ndcg(reading_order(hits), grades[q["id"]]),
                     "rr": reciprocal_rank([h["file"] for h in hits], best[q["id"]]),
                     "files": [h["file"] for h in hits]})
    return rows


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def summary(rows: list[dict]) -> dict:
    kinds = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        sel = [r for r in rows if r["kind"] == kind]
        kinds[kind] = {"queries": len(sel), "ndcg": mean(r["ndcg"] for r in sel), "mrr": mean(r["rr"] for r in sel)}
    return {"queries": len(rows), "ndcg": mean(r["ndcg"] for r in rows), "mrr": mean(r["rr"] for r in rows),
            "kinds": kinds}


def run() -> dict:
    from bench.ranking.obvious import ObviousSearch

    queries, grades, best = load_set()
    files = judged.report_files()
    ours = OurSearch(files)
    obvious = ObviousSearch({f.name: judged.units(f) for f in files})
    try:
        return {"ours": measure(ours, queries, grades, best), "obvious": measure(obvious, queries, grades, best),
                "reports": len(files), "judgments": sum(len(g) for g in grades.values())}
    finally:
        ours.close()
        obvious.close()


def table(result: dict) -> str:
    ours, obvious = summary(result["ours"]), summary(result["obvious"])
    lines = [f"| measure | ours | obvious build (Whoosh TEXT + ChineseAnalyzer, a document per section) |",
             "|---|---|---|",
             f"| section nDCG@{K} | {ours['ndcg']:.3f} | {obvious['ndcg']:.3f} |",
             f"| MRR of the best report | {ours['mrr']:.3f} | {obvious['mrr']:.3f} |"]
    for kind, o in ours["kinds"].items():
        b = obvious["kinds"][kind]
        lines.append(f"| {kind} ({o['queries']}): nDCG / MRR | {o['ndcg']:.3f} / {o['mrr']:.3f} | "
                     f"{b['ndcg']:.3f} / {b['mrr']:.3f} |")
    return "\n".join(lines)


def per_query(result: dict) -> str:
    lines = ["| query | kind | ours nDCG / RR | obvious nDCG / RR |", "|---|---|---|---|"]
    for o, b in zip(result["ours"], result["obvious"]):
        lines.append(f"| {o['id']} {o['q']} | {o['kind']} | {o['ndcg']:.3f} / {o['rr']:.2f} | "
                     f"{b['ndcg']:.3f} / {b['rr']:.2f} |")
    return "\n".join(lines)


def write_results(result: dict, code: str, path: Path = RESULTS) -> None:
    """Replace (or append) the ranking section of bench/RESULTS.md."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = "\n".join([BEGIN, "## Ranking (judged set, issue 14)", "",
                       f"Command: `python -m bench.ranking`  ", f"Date: {now}; code: {code}.  ",
                       f"{result['reports']} reports (bench/ranking), {len(result['ours'])} queries, "
                       f"{result['judgments']} graded sections. nDCG@{K} over the sections in reading order "
                       "(hits in order, each hit's sections in order; gains 2/1/0, unjudged 0); MRR: the first "
                       "listed report among the query's best. The ranking's weights (search/ranking.py) were tuned "
                       "on this set after it was written; its rules are the genre's, so the reports held back are the "
                       "real test.", "", table(result), END])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
