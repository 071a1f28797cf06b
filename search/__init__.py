"""The read side and the shared contract: analysis, schema, query language, engine, snippets.

Never imports Flask, and never imports ``indexer`` (data flows files → indexer → index → search).
"""
