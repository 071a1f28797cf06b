"""search.columnfile: a generation's columns saved at build time and mapped back on opening, equal to the
columns read from Whoosh, through incremental builds and merges; a missing file falls back, a damaged one is
refused like a damaged gram file."""

from __future__ import annotations

import dataclasses
from array import array

import numpy as np
import pytest

from build_helpers import SEEDS
from indexer.build import build
from search import columnfile, columns
from search.engine import Engine, SearchRequest
from search.schema import IndexFormatError, open_index_path

QUERIES = ("执法记录仪", "法", "同句(执法 记录)", "标题:报告", "章节:法治", "行政 -复议")


def plain(value):
    """A comparable form of a columns object: arrays as (dtype, values), dataclasses as dicts of fields."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, np.ndarray):
        return (str(value.dtype), value.tolist())
    if isinstance(value, array):
        return (value.typecode, value.tolist())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def live(index_dir):
    """(the generation's directory, its Whoosh TOC generation, an open reader)."""
    ix, path = open_index_path(index_dir)
    return path, ix.latest_generation(), ix.reader()


def saved_and_read(index_dir):
    path, toc, reader = live(index_dir)
    saved = columnfile.read(columnfile.path_for(path, toc), columns.file_key(reader))
    read = columns.load(reader)
    reader.close()
    return saved, read


def pages(index_dir) -> list[dict]:
    engine = Engine(index_dir)
    try:
        return [engine.search(SearchRequest(q=q, limit=50)).to_dict() for q in QUERIES]
    finally:
        engine.close()


def test_the_saved_columns_equal_those_read_from_whoosh(built):
    _, index_dir = built
    saved, read = saved_and_read(index_dir)
    assert isinstance(saved, columns.Columns)
    assert plain(read) == plain(saved)
    assert not saved.doc_report.flags.writeable  # mapped from the file, read-only


def test_pages_are_the_same_with_and_without_the_file(built):
    _, index_dir = built
    with_file = pages(index_dir)
    path, toc, reader = live(index_dir)
    reader.close()
    columnfile.path_for(path, toc).unlink()
    assert with_file == pages(index_dir)
    assert with_file[0]["total"] > 0


def test_incremental_builds_and_merges_write_the_file_of_each_generation(built):
    """Edits, additions and removals, one small segment per build, then a merge of every segment (as a
    merge policy makes, written by ``backfill``): each has exactly one column file, for its own TOC, equal to
    its columns read from Whoosh; pages equal a fresh build's."""
    from indexer.build.gramfiles import backfill
    from search.schema import open_index, resolve_index_dir

    corpus, index_dir = built
    (corpus / SEEDS[0].name).write_bytes(SEEDS[0].read_bytes() + "\n补充说明：执法记录仪全覆盖。\n".encode())
    (corpus / SEEDS[1].name).unlink()
    counts = []
    for step in range(4):
        if step < 3:
            (corpus / f"more-{step}.txt").write_bytes(SEEDS[step].read_bytes())
            build(corpus, index_dir, workers=1)
        else:
            ix = open_index(index_dir)
            ix.optimize()
            ix.close()
            backfill(resolve_index_dir(index_dir))
        path, toc, reader = live(index_dir)
        counts.append(len(reader.leaf_readers()))
        reader.close()
        assert [columnfile.path_for(path, toc).name] == [p.name for p in path.glob("columns-*.bin")]
        saved, read = saved_and_read(index_dir)
        assert plain(read) == plain(saved)
    assert [2, 3, 4, 1] == counts
    fresh = index_dir.parent / "fresh"
    build(corpus, fresh, workers=1)
    assert pages(fresh) == pages(index_dir)


def test_a_file_of_other_segments_is_not_used(built, tmp_path):
    """A column file whose key does not describe the reader (here: one of another index) is ignored."""
    _, index_dir = built
    path, toc, reader = live(index_dir)
    other = tmp_path / "other.bin"
    columnfile.write({"x": np.arange(3)}, other, [["another segment", 1, 0]])
    assert columnfile.read(other, columns.file_key(reader)) is None
    assert [0, 1, 2] == columnfile.read(other, [["another segment", 1, 0]])["x"].tolist()
    reader.close()


@pytest.mark.parametrize("damage", ["empty", "cut", "garbage"])
def test_a_damaged_file_is_refused_with_a_rebuild_hint(built, damage):
    _, index_dir = built
    path, toc, reader = live(index_dir)
    reader.close()
    file = columnfile.path_for(path, toc)
    data = file.read_bytes()
    if damage == "empty":
        file.write_bytes(b"")
    elif damage == "cut":
        file.write_bytes(data[:-3])
    else:  # the table's offset points past the file
        file.write_bytes(data[:-16] + b"\xff" * 8 + data[-8:])
    with pytest.raises(columnfile.ColumnFileError):
        columnfile.read(file, [])
    with pytest.raises(IndexFormatError, match="rebuild"):
        Engine(index_dir).search(SearchRequest(q="执法"))


def test_a_damaged_pickle_is_refused(tmp_path):
    file = columnfile.write({"x": np.arange(5)}, tmp_path / "columns-1.bin", [])
    data = bytearray(file.read_bytes())
    o = data.rfind(b"\x80\x05")  # the pickle's start (protocol 5)
    data[o + 2:o + 12] = b"\xff" * 10
    file.write_bytes(bytes(data))
    with pytest.raises(columnfile.ColumnFileError):
        columnfile.read(file, [])


def test_writing_a_file_removes_those_of_other_generations(tmp_path):
    columnfile.write([1], tmp_path / "columns-1.bin", [])
    columnfile.write([2], tmp_path / "columns-2.bin", [])
    assert (["columns-2.bin"], [2]) == ([p.name for p in tmp_path.iterdir()],
                                        columnfile.read(tmp_path / "columns-2.bin", []))


def test_a_no_op_build_writes_a_missing_or_outdated_file(built):
    corpus, index_dir = built
    path, toc, reader = live(index_dir)
    reader.close()
    file = columnfile.path_for(path, toc)
    columnfile.write([], file, ["written by other code"])
    summary = build(corpus, index_dir, workers=1)
    assert (False, True) == (summary.changed, file.exists())
    saved, read = saved_and_read(index_dir)
    assert plain(read) == plain(saved)


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_pauses_the_garbage_collector_and_leaves_it_as_it_was(tmp_path, enabled):
    import gc

    saved = {"reports": [{"file": f"{i}.txt", "year": 2000 + i % 20} for i in range(20_000)], "a": np.arange(7)}
    file = columnfile.write(saved, tmp_path / "columns-1.bin", [])
    runs = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    (gc.enable if enabled else gc.disable)()
    gc.callbacks.append(count)
    try:
        read = columnfile.read(file, [])
        state = gc.isenabled()
    finally:
        gc.callbacks.remove(count)
        gc.enable()
    # 20,000 dicts unpickled with the collector running set off about 30 collections; paused, none (one may
    # start on the way out, once it runs again)
    assert (enabled, True) == (state, len(runs) <= 1)
    assert (saved["reports"], saved["a"].tolist()) == (read["reports"], read["a"].tolist())
