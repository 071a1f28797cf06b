"""Reliability suite: a search process for the concurrency test (``test_reliability_concurrency``).

``python reliability_searcher.py INDEX_DIR STOP_FILE TOTALS`` searches through its own ``Engine`` (as a second
server process would) until STOP_FILE exists, then prints ``{"searches", "errors", "bad_totals"}`` as JSON:
an exception is an error, and the empty query's total (the number of reports) must be one of TOTALS (a comma
list: the totals of the corpus states the builds go through).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from search.engine import Engine, SearchRequest

QUERIES = ["", "执法", "行政复议 -信访", "副本编号", "标题:报告", "同句(执法 监督)", "执法 OR 复议", "警"]


def run(index_dir: str, stop_file: str, totals: set[int]) -> dict:
    engine = Engine(index_dir)
    searches, errors, bad = 0, [], []
    while not Path(stop_file).exists():
        q = QUERIES[searches % len(QUERIES)]
        try:
            total = engine.search(SearchRequest(q=q, limit=20)).total
            if q == "" and total not in totals:
                bad.append(total)
        except Exception as e:  # reported, then asserted empty by the test
            errors.append(repr(e))
        searches += 1
        time.sleep(0.005)  # two cores: leave the builds some room
    engine.close()
    return {"searches": searches, "errors": errors[:20], "bad_totals": bad[:20]}


if __name__ == "__main__":
    index_dir, stop_file, totals = sys.argv[1:4]
    print(json.dumps(run(index_dir, stop_file, {int(t) for t in totals.split(",")})))
