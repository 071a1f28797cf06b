"""The read side and the shared contract (files → indexer → index → search → webui / CLI).

- Shared with the write side: ``analysis`` (normalization, grams, jieba words), ``schema`` (fields, facet
  names, format version), ``grams`` (the exact-match gram files).
- One request: ``query`` (what a user types → a tree) → ``plan`` (the query plan, made once) → ``matching``
  (reports as arrays) → ``facets`` → ``ranking`` → ``hits`` (sections, ``snippets``), run by ``engine`` over an
  open generation (``state``, its arrays in ``columns``; ``postings`` reads Whoosh's blocks).
- One analysis each, over the engine: ``compare``, ``matrix``, ``trend``, ``related``, ``explain``; ``cli``.

Never imports Flask, and never imports ``indexer``.
"""
