"""Indexer stage 3 (build), gram files: every segment of a generation gets its ``search.grams`` file, its
``search.words`` file and its ``search.fingerprints`` file, and the generation its column file
(``search.columnfile``).

Workers write a segment's files as they add its reports (``worker.Part``). A segment that Whoosh makes by
merging others at commit has none: ``backfill`` writes them from the segment's stored text and columns (the
same ``search.schema.gram_source`` and ``word_source`` over the stored fields the workers wrote:
``search.schema.StoredReports``), before the generation is swapped in.
The column file is written once the segments are final (``write_columns``).
"""

from __future__ import annotations

from pathlib import Path

from search import columnfile, columns, fingerprints, words
from search.grams import GramWriter, path_for
from search.schema import StoredReports, gram_source, open_index, segment_readers, word_source


def backfill(gen_dir: Path) -> int:
    """Write the missing gram, word and fingerprint files of the index in ``gen_dir``, then its column file if
    it has none for these segments; returns how many segments got them."""
    ix = open_index(gen_dir)
    written = 0
    try:
        with ix.reader() as reader:
            for sub, _ in segment_readers(reader):
                path = path_for(gen_dir, sub.segment().segment_id())
                prints = fingerprints.path_for(gen_dir, sub.segment().segment_id())
                wordfile = words.path_for(gen_dir, sub.segment().segment_id())
                if not path.exists() or not prints.exists() or not wordfile.exists():
                    write_segment(sub, path, prints, wordfile)
                    written += 1
            write_columns(reader, gen_dir, ix.latest_generation())
    finally:
        ix.close()
    return written


def refresh_columns(gen_dir: Path) -> bool:
    """Write the column file of a (live) generation if it has no up-to-date one: after an upgrade of the code
    that computes it, a no-op build makes opening fast again. Written through a rename, so readers see the
    old file or the new one."""
    ix = open_index(gen_dir)
    try:
        with ix.reader() as reader:
            return write_columns(reader, gen_dir, ix.latest_generation())
    finally:
        ix.close()


def write_columns(reader, gen_dir: Path, toc_generation: int) -> bool:
    """The generation's column file, unless it has an up-to-date one; returns whether it wrote one."""
    path = columnfile.path_for(gen_dir, toc_generation)
    if columnfile.stored_key(path) == columns.file_key(reader):
        return False
    columns.save(reader, gen_dir, toc_generation)
    return True


def write_segment(sub, path: Path, prints: Path | None = None, wordfile: Path | None = None) -> None:
    """The gram file of one segment (a Whoosh segment reader), from its stored fields and columns; with
    ``prints`` and ``wordfile``, its fingerprint and word files too."""
    rid_col = list(sub.column_reader("report_id"))
    sec_col = list(sub.column_reader("sec_index"))
    kmask_col = list(sub.column_reader("kmask"))
    slots_col = list(sub.column_reader("slots"))
    stored_report = StoredReports(sub)
    groups: dict[str, list[int]] = {}
    for d in sub.all_doc_ids():
        groups.setdefault(rid_col[d], []).append(d)
    writer = GramWriter(path)
    printer = fingerprints.PrintWriter(prints) if prints is not None else None
    worder = words.WordWriter(wordfile) if wordfile is not None else None
    try:
        heads = []
        for docs in groups.values():
            docs.sort(key=lambda d: sec_col[d])
            if sec_col[docs[0]] < 0:
                heads.append((docs[0], docs))
        for head, docs in sorted(heads):
            stored = stored_report(head)
            kmasks = [kmask_col[d] for d in docs[1:]]
            writer.add(head, **gram_source(stored, slots_col[head], kmasks))
            if printer is not None:
                printer.add(head, "".join(s.get("text") or "" for s in stored))
            if worder is not None:
                worder.add(head, word_source(stored))
        writer.close()
        for other in (printer, worder):
            if other is not None:
                other.close()
    except BaseException:
        writer.abort()
        if worder is not None:
            worder.abort()
        raise
