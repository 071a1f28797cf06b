"""The ranking judged set (issue 14) and its measurement: ``python -m bench.ranking``.

``metrics``: section nDCG@10 in reading order and the best report's reciprocal rank; ``obvious``: the
obvious build (Whoosh TEXT + ``jieba.analyse.ChineseAnalyzer``, each section a document); ``run``: both
engines over the same judgments, the table for bench/RESULTS.md.
"""
