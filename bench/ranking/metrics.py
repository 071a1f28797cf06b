"""Ranking metrics (benchmark): section nDCG@k in the order a user reads a result page, and the reciprocal
rank of the best report.

Reading order: the hits in order, each hit's listed sections in order. Gains are the grades (2 / 1 / 0);
a section that has no judgment gains 0. The ideal order is every judged grade of the query, best first.
"""

from __future__ import annotations

import math

K = 10


def reading_order(hits) -> list[tuple[str, tuple[str, ...]]]:
    """(file, heading path) of every listed section, hits in order and each hit's sections in order."""
    return [(h["file"], tuple(s["path"])) for h in hits for s in h["sections"]]


def dcg(gains) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg(read: list, grades: dict, k: int = K) -> float:
    """nDCG@k of the sections ``read`` (in reading order) against ``grades`` ({(file, path): grade});
    0.0 for a query without a positive grade."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    seen: set = set()
    gains = []
    for key in read:
        if key in seen:  # a section listed twice gains once
            gains.append(0)
            continue
        seen.add(key)
        gains.append(grades.get(key, 0))
    return dcg(gains[:k]) / ideal


def reciprocal_rank(files: list[str], best: set[str]) -> float:
    """1 / the rank of the first listed report among ``best`` (0.0 when none is listed)."""
    for i, f in enumerate(files):
        if f in best:
            return 1.0 / (i + 1)
    return 0.0
