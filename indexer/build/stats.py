"""Indexer stage 3 (build), stats: what the live index holds, for ``reports-index stats``.

Counts come from the live generation's manifest (written by the same build as the index beside it, so they
agree), the number of Whoosh documents and the size on disk from the index itself.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from indexer.build import generations as gens
from indexer.build import manifest as mf


class StatsError(Exception):
    """No index, or one this version cannot read; the message says what to run."""


def stats(index_dir: str | os.PathLike) -> dict:
    from search.schema import IndexFormatError, IndexMissingError, open_index

    index_dir = Path(index_dir).absolute()
    live = gens.read_current(index_dir)
    try:
        ix = open_index(index_dir)
    except (IndexMissingError, IndexFormatError) as e:
        raise StatsError(str(e)) from None
    try:
        documents = ix.doc_count()
    finally:
        ix.close()
    gen_dir = index_dir / live if live else index_dir
    manifest = mf.load(gen_dir)
    if manifest is None:
        raise StatsError(f"the index at {index_dir} was not made by `reports-index build`: rebuild it with "
                         "`reports-index build CORPUS --index-dir DIR --rebuild`")
    ok = [e.report or {} for e in manifest.files.values() if e.status == "ok"]
    failed = [{"file": rid, "reason": e.error} for rid, e in sorted(manifest.files.items()) if e.status != "ok"]
    return {
        "index_dir": str(index_dir),
        "generation": live,
        "format_version": manifest.format_version,
        "corpus": manifest.corpus,
        "built_at": manifest.built_at,
        "reports": len(ok),
        "sections": sum(r.get("sections", 0) for r in ok),
        "documents": documents,
        "size_bytes": gens.size_on_disk(gen_dir),
        "per_year": _counts((r.get("year") for r in ok), by_value=True),
        "per_province": _counts(r.get("province") for r in ok),
        "per_city": _counts(r.get("city") for r in ok),
        "per_kind": _counts(k for r in ok for k in r.get("kinds", [])),
        "failed": failed,
    }


def _counts(values, by_value: bool = False) -> list[dict]:
    """``[{"value", "count"}]`` most frequent first (years: in order); unknown values (None) last."""
    counts = Counter(values)
    if by_value:
        order = sorted(counts, key=lambda v: (v is None, v if v is not None else 0))
    else:
        order = sorted(counts, key=lambda v: (v is None, -counts[v], str(v)))
    return [{"value": v, "count": counts[v]} for v in order]


def render(data: dict) -> str:
    """The readable form of ``stats()``."""

    def line(items: list[dict]) -> str:
        return " · ".join(f"{i['value'] if i['value'] is not None else '(unknown)'} {i['count']}" for i in items)

    lines = [
        f"index      {data['index_dir']} ({data['generation'] or 'no generation'}, format "
        f"{data['format_version']}, {data['size_bytes'] / 1e6:.1f} MB)",
        f"corpus     {data['corpus']}",
        f"built      {data['built_at']}",
        f"reports    {data['reports']} ({data['sections']} sections, {data['documents']} index documents)",
        f"year       {line(data['per_year']) or '-'}",
        f"province   {line(data['per_province']) or '-'}",
        f"city       {line(data['per_city']) or '-'}",
        f"kind       {line(data['per_kind']) or '-'} (reports with a section of that kind)",
        f"failed     {len(data['failed'])}",
    ]
    lines += [f"  {f['file']}: {f['reason']}" for f in data["failed"]]
    return "\n".join(lines)
