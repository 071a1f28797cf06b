"""Benchmarks (the measuring stage, outside the product's data flow).

Side by side on one synthetic corpus and one query set: our index (``indexer.build`` + ``search.engine``), the
naive build (a Whoosh TEXT field with jieba's ``ChineseAnalyzer``), SQLite FTS5 with the trigram tokenizer,
and a grep of the normalized text as the ground truth. ``python -m bench --reports N`` runs it all.
"""
