"""``python -m bench.ranking [--per-query] [--no-write]``: section nDCG@10 and MRR of our engine and of the
obvious build over the judged set; the table goes into bench/RESULTS.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.ranking.run import RESULTS, per_query, run, table, write_results
from bench.run import describe_code


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.ranking", description=__doc__)
    ap.add_argument("--per-query", action="store_true", help="also print each query's figures")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args()
    result = run()
    print(table(result))
    if args.per_query:
        print()
        print(per_query(result))
    if not args.no_write:
        write_results(result, describe_code(Path(__file__).resolve().parents[2]), RESULTS)
        print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
