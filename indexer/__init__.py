"""The write side: report files on disk → parsed reports → the Whoosh index.

Three stage folders, data flowing one way: ``readers/`` (bytes → text, ``read_file``), ``parse/`` (text →
``Report``, ``parse_file``), ``build/`` (Reports → a new index generation, ``build``). ``model.py`` holds
``Report``, the contract between parse and build; ``data/`` the parser's data; ``cli.py`` is ``reports-index``.
Imports ``search.schema`` / ``search.analysis``; never imports ``webui``.
"""
