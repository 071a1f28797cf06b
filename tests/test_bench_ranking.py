"""bench.ranking.metrics: nDCG@10 in reading order and the best report's reciprocal rank, on tiny cases
computed by hand."""

import math

import pytest

from bench.ranking.metrics import ndcg, reading_order, reciprocal_rank


def test_reading_order_is_hits_then_their_sections():
    hits = [{"file": "a", "sections": [{"path": ["一、x"]}, {"path": []}]}, {"file": "b", "sections": [{"path": ["二、y"]}]}]
    assert [("a", ("一、x",)), ("a", ()), ("b", ("二、y",))] == reading_order(hits)


@pytest.mark.parametrize("read, expected", [
    ([("a", ("s1",)), ("a", ("s2",)), ("b", ("s3",))], 1.0),  # the ideal order
    # 1 at rank 1, 2 at rank 2, 0 at rank 3: (1 + 2/log2 3) / (2 + 1/log2 3)
    ([("a", ("s2",)), ("a", ("s1",)), ("b", ("s3",))], (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))),
    # an unjudged section gains 0 and pushes the others down
    ([("x", ()), ("a", ("s1",)), ("a", ("s2",))], (2 / math.log2(3) + 1 / 2) / (2 + 1 / math.log2(3))),
    # a section read twice gains once
    ([("a", ("s1",)), ("a", ("s1",))], 2 / (2 + 1 / math.log2(3))),
    ([], 0.0),
])
def test_ndcg(read, expected):
    grades = {("a", ("s1",)): 2, ("a", ("s2",)): 1, ("b", ("s3",)): 0}
    assert pytest.approx(expected) == ndcg(read, grades)


def test_ndcg_counts_only_the_first_k():
    grades = {("a", (str(i),)): 1 for i in range(12)}
    read = [("x", ())] * 10 + [("a", ("0",))]
    assert 0.0 == ndcg(read, grades, k=10)
    assert 0.0 == ndcg([("a", ("0",))], {("a", ("0",)): 0})  # no positive grade: nothing to find


@pytest.mark.parametrize("files, best, expected", [
    (["a", "b", "c"], {"a"}, 1.0), (["a", "b", "c"], {"c", "b"}, 0.5), (["a", "b"], {"z"}, 0.0), ([], {"a"}, 0.0)])
def test_reciprocal_rank(files, best, expected):
    assert expected == reciprocal_rank(files, best)
