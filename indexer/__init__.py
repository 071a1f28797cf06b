"""The write side: report files on disk → parsed reports → the Whoosh index.

Stages: ``readers`` (bytes → text), ``parse`` (text → Report), ``build`` (Reports → index), ``cli``.
Imports ``search.schema`` / ``search.analysis``; never imports ``webui``.
"""
