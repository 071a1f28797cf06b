"""Check the judged set: every section holding a query's terms is graded, every graded path exists.

Run from the repository root:

    python bench/ranking/check_judgments.py            # report problems (exit 1 if any)
    python bench/ranking/check_judgments.py --list q07 # print the sections a query matches (for grading)
    python bench/ranking/check_judgments.py --stats    # counts per query, grade and kind

Reports: the seeds in the repository's ``corpus/`` (the folder two levels above this script's folder; if
that does not exist, ``/work/main/corpus``) and ``bench/ranking/reports/``. Each report is parsed with the
project's parser; its sections are the parser's units: a section runs from its heading to its first
sub-section (or its end), and the text before the first heading is the section with path ``[]``.
A section *holds* a query when every positive term occurs in it literally after
``search.analysis.normalize_text`` (width, traditional → simplified, case); ``同句(a b)`` counts as a AND b.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indexer.parse import parse_file  # noqa: E402
from search.analysis import normalize_text  # noqa: E402

REPORTS = HERE / "reports"
QUERIES = HERE / "queries.jsonl"
JUDGMENTS = HERE / "judgments.jsonl"


def seed_dir() -> Path:
    local = ROOT / "corpus"
    return local if local.is_dir() else Path("/work/main/corpus")


def report_files() -> list[Path]:
    return sorted(seed_dir().glob("*.txt")) + sorted(REPORTS.glob("*.txt"))


def units(path: Path) -> list[tuple[tuple[str, ...], str]]:
    """(heading path, text) of every section of one report, the opening (path ()) first."""
    rep = parse_file(path)
    text, secs = rep.text, rep.sections
    out = [((), text[: secs[0].start if secs else len(text)])]
    for i, s in enumerate(secs):
        end = s.end
        if i + 1 < len(secs) and secs[i + 1].parent == i:
            end = secs[i + 1].start  # a section's own text stops at its first sub-section
        chain, j = [], i
        while j is not None:
            chain.append(secs[j].heading)
            j = secs[j].parent
        out.append((tuple(reversed(chain)), text[s.start : end]))
    return out


_TOKEN = re.compile(r'同句\(([^)]*)\)|同段\(([^)]*)\)|"([^"]*)"|“([^”]*)”|(\S+)')


def terms(q: str) -> list[str]:
    """The positive terms of a query written with spaces (AND), quotes and 同句(...)."""
    out = []
    for m in _TOKEN.finditer(q):
        inner = m.group(1) or m.group(2)
        if inner is not None:
            out += inner.split()
        elif m.group(3) is not None or m.group(4) is not None:
            out.append(m.group(3) if m.group(3) is not None else m.group(4))
        else:
            out.append(m.group(5))
    return [normalize_text(t) for t in out if t]


def load_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def corpus_units() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    return {p.name: [(h, normalize_text(t)) for h, t in units(p)] for p in report_files()}


def matches(corpus, ts: list[str]):
    """(file, path, text, all_terms) for every section holding every term, then those holding the rarest
    term but not all (the partial sections a multi-term query also grades)."""
    full, partial = [], []
    counts = {t: sum(t in txt for us in corpus.values() for _h, txt in us) for t in ts}
    rare = min(ts, key=lambda t: counts[t])
    for f, us in corpus.items():
        for h, txt in us:
            if all(t in txt for t in ts):
                full.append((f, h, txt))
            elif len(ts) > 1 and rare in txt:
                partial.append((f, h, txt))
    return full, partial


def check(corpus, queries, judgments) -> list[str]:
    problems = []
    qids = [q["id"] for q in queries]
    for qid, n in Counter(qids).items():
        if n > 1:
            problems.append(f"query id {qid} used {n} times")
    paths = {f: {h for h, _t in us} for f, us in corpus.items()}
    graded: dict[str, dict[tuple[str, tuple], int]] = defaultdict(dict)
    best: dict[str, list[str]] = {}
    for j in judgments:
        qid = j.get("query")
        if qid not in qids:
            problems.append(f"judgment for unknown query {qid}: {j}")
            continue
        if "best" in j:
            if qid in best:
                problems.append(f"{qid}: two best lines")
            best[qid] = j["best"]
            for f in j["best"]:
                if f not in corpus:
                    problems.append(f"{qid}: best file {f} is not a report")
            continue
        f, h, g = j.get("file"), tuple(j.get("path", ())), j.get("grade")
        if f not in corpus:
            problems.append(f"{qid}: file {f} is not a report")
            continue
        if h not in paths[f]:
            problems.append(f"{qid}: {f} has no section {list(h)}")
        if g not in (0, 1, 2):
            problems.append(f"{qid}: {f} {list(h)}: grade {g!r} is not 0/1/2")
        if (f, h) in graded[qid]:
            problems.append(f"{qid}: {f} {list(h)} judged twice")
        graded[qid][(f, h)] = g
    for q in queries:
        qid = q["id"]
        full, _partial = matches(corpus, terms(q["q"]))
        for f, h, _t in full:
            if (f, h) not in graded[qid]:
                problems.append(f"{qid} {q['q']}: no judgment for {f} {list(h)}")
        if qid not in best:
            problems.append(f"{qid} {q['q']}: no best report")
        elif graded[qid]:
            top = max(graded[qid].values())
            for f in best[qid]:
                mine = [g for (ff, _h), g in graded[qid].items() if ff == f]
                if not mine or max(mine) < top:
                    problems.append(f"{qid}: best report {f} has no section graded {top}")
    return problems


def show(corpus, q: dict) -> None:
    ts = terms(q["q"])
    full, partial = matches(corpus, ts)
    print(f"# {q['id']} {q['q']} terms={ts} full={len(full)} partial={len(partial)}")
    for label, rows in (("FULL", full), ("PARTIAL", partial)):
        for f, h, txt in rows:
            print(f"\n== {label} {f} {json.dumps(list(h), ensure_ascii=False)} ({len(txt)} chars)")
            marked = txt
            for t in ts:
                marked = marked.replace(t, f"【{t}】")
            print(marked.strip())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", metavar="QID", nargs="*", help="print the sections these queries match")
    ap.add_argument("--stats", action="store_true", help="counts per query, grade and kind")
    args = ap.parse_args(argv)
    corpus = corpus_units()
    queries = load_jsonl(QUERIES)
    judgments = load_jsonl(JUDGMENTS)
    if args.list is not None:
        for q in queries:
            if not args.list or q["id"] in args.list:
                show(corpus, q)
        return 0
    if args.stats:
        per_q = Counter(j["query"] for j in judgments if "grade" in j)
        grades = Counter(j["grade"] for j in judgments if "grade" in j)
        for q in queries:
            full, partial = matches(corpus, terms(q["q"]))
            print(f"{q['id']}\t{q['kind']}\t{q['q']}\tfull={len(full)}\tpartial={len(partial)}\tjudged={per_q[q['id']]}")
        print("reports:", len(corpus), "sections:", sum(len(u) for u in corpus.values()))
        print("queries:", len(queries), "kinds:", dict(Counter(q["kind"] for q in queries)))
        print("judgments:", sum(per_q.values()), "grades:", dict(sorted(grades.items())))
    problems = check(corpus, queries, judgments)
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(problems)} problems: {len(corpus)} reports, {len(queries)} queries, "
          f"{sum(1 for j in judgments if 'grade' in j)} judgments")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
