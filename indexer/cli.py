"""``reports-index``: the indexer's command line, a thin click layer over the library: ``parse`` over
``indexer.parse``, ``build`` over ``indexer.build``, ``replicate`` over ``indexer.build.replicate``, ``stats``
over ``indexer.build.stats``, ``check`` over ``indexer.check``."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from indexer.build import BuildError, build
from indexer.build.lock import LockTimeout
from indexer.build.stats import StatsError, render, stats
from indexer.check import check, write_csv
from indexer.model import EVIDENCE_FIELDS, Report, uncertain
from indexer.parse import metafile, parse_file
from indexer.readers import ReadError

EXIT_OK, EXIT_FAILED_FILES, EXIT_FATAL, EXIT_LOCKED = 0, 1, 2, 3

index_dir_option = click.option(
    "--index-dir",
    envvar="REPORTS_INDEX_DIR",
    default="index",
    type=click.Path(file_okay=False),
    help="Index directory (default: $REPORTS_INDEX_DIR or ./index).",
)


class Fatal(click.ClickException):
    """One line on stderr, exit code 2: a file the readers cannot turn into text, a build that cannot go on."""

    exit_code = EXIT_FATAL


class Locked(click.ClickException):
    """Another build holds the index directory's lock: exit code 3."""

    exit_code = EXIT_LOCKED


@click.group(help="Parse and index rule-of-law government reports (法治政府建设年度报告).")
@click.version_option(package_name="reports-search")
def main() -> None:
    pass


def report_summary(report: Report) -> str:
    """A readable summary: the metadata, then the section tree indented by level."""
    place = " / ".join(p or "-" for p in (report.province, report.city, report.county))
    rows = [
        ("file", report.file), ("title", report.title), ("agency", report.agency), ("place", place),
        ("level", report.level), ("sector", report.sector), ("year", report.year),
        ("publish_date", report.publish_date), ("doc_date", report.doc_date),
    ]
    if report.source_url:
        rows.append(("source_url", report.source_url))
    lines = [f"{key + ':':<14}{'-' if value is None else value}" for key, value in rows]
    if report.evidence:
        lines.append("evidence:")
        for name in EVIDENCE_FIELDS:
            if ev := report.evidence.get(name):
                mark = " (uncertain)" if uncertain(ev) else ""
                lines.append(f"  {name + ':':<14}{ev['source']}{mark}: {ev['text'][:60]}")
    lines.append(f"{'sections:':<14}{len(report.sections)}")
    for s in report.sections:
        kinds = f"  [{', '.join(s.kinds)}]" if s.kinds else ""
        lines.append(f"{'  ' * s.level}{s.heading}{kinds}")
    return "\n".join(lines)


@main.command("parse")
@click.argument("file", type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed report as one JSON object.")
def parse_command(file: str, as_json: bool) -> None:
    """Parse one report FILE (.txt, .html/.htm, .docx, .pdf, .doc) and print its metadata and sections.

    With --json, print one JSON object: file, text, title, agency, province, city, county, level, sector,
    year, publish_date, doc_date, source_url, evidence ({field: {source, text}}: where each of agency,
    province, city, county, level, sector, year and publish_date was read) and sections (heading, level, kinds, start, end, body_start,
    parent; offsets index the cleaned text). A file that cannot be read exits with code 2. The row for FILE
    in the metadata.csv beside it overrides what the parser finds (its malformed rows: warnings on stderr).

    \b
    Example:
      reports-index parse corpus/000_27c9d69931be37ee.txt
      reports-index parse report.html --json
    """
    try:
        report = parse_file(file)
    except ReadError as e:
        raise Fatal(str(e)) from None
    if meta := metafile.load(Path(file).parent):
        for message in meta.messages():
            click.echo(f"warning: {message}", err=True)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(report_summary(report))


@main.command("build")
@click.argument("corpus", default="corpus", type=click.Path(file_okay=False))
@index_dir_option
@click.option("--rebuild", is_flag=True, help="Index every file again into a fresh index, swapped in when done.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parser processes (default: the number of CPUs).")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Parse and index on a Dask cluster: a scheduler address (tcp://10.1.2.3:8786) or local:N "
                   "(N worker processes here). CORPUS and the index directory must be at the same path on "
                   "every worker (a shared filesystem).")
@click.option("--wait", type=click.FloatRange(min=0), default=10.0, show_default=True,
              help="Seconds to wait for another running build before giving up.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no notes; the summary and failures only.")
@click.option("--verbose", "-v", is_flag=True, help="List each skipped file (a type no reader takes) with the reason.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def build_command(corpus, index_dir, rebuild, workers, cluster, wait, quiet, verbose, as_json):
    """Index the report files under CORPUS (default: ./corpus) into the index directory.

    Incremental: only new and changed files (by content) are parsed, removed files are dropped, unchanged
    files are not read again. Files of other types (.wps, .md, no suffix…) are skipped and counted by type
    (--verbose lists them); .doc files are read with LibreOffice when it is installed. Every build writes a new index generation beside the live one and swaps it in
    atomically, so searches keep working during the build and after an interruption.

    \b
    Exit codes:
      0  done, every file indexed
      1  done, but some files failed (listed with the reason; all others are indexed)
      2  usage error or fatal error (the index is unchanged)
      3  another build is running (it did not finish within --wait seconds)

    \b
    Example:
      reports-index build corpus --index-dir index
      reports-index build corpus --index-dir index --rebuild --workers 2
      reports-index build /shared/corpus --index-dir /shared/index --cluster tcp://10.1.2.3:8786
    """
    progress = not quiet and sys.stderr.isatty()
    try:
        summary = build(corpus, index_dir, rebuild=rebuild, workers=workers, wait=wait, progress=progress,
                        cluster=cluster)
    except BuildError as e:
        raise Fatal(str(e)) from None
    except LockTimeout as e:
        raise Locked(str(e)) from None
    except Exception as e:  # a bug: show it, but exit 2 (the index is unchanged), never 1 (= some files failed)
        click.echo(traceback.format_exc(), err=True)
        raise Fatal(f"build failed: {type(e).__name__}: {e}") from None
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        if not quiet:
            for note in summary.notes:
                click.echo(f"note: {note}", err=True)
        for rid, reason in summary.failed:
            click.echo(f"failed: {rid}: {reason}", err=True)
        if verbose:
            for rid, reason in summary.skipped:
                click.echo(f"skipped: {rid}: {reason}", err=True)
        state = f"index {summary.generation}" if summary.changed else "index unchanged"
        click.echo(f"{summary.line()}; {state}")
        if summary.skipped_line():
            click.echo(summary.skipped_line() + ("" if verbose else " (--verbose lists them)"))
        if summary.nothing_indexed:
            click.echo(f"error: none of the {len(summary.failed)} files could be indexed (reasons above); "
                       "the index is empty", err=True)
    click.get_current_context().exit(summary.exit_code)


@main.command("check")
@click.argument("corpus", default="corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--csv", "out", type=click.Path(dir_okay=False, writable=True),
              help="Write the listed reports as a metadata.csv pre-filled with the parser's guesses.")
def check_command(corpus, out):
    """List the reports of CORPUS (default: ./corpus) with a metadata field that is missing or only guessed
    (evidence `inferred`, an address naming same-sounding places, a place named once in the body), and why.

    With --csv OUT, write those reports as a metadata.csv (UTF-8 with BOM, for Excel) pre-filled with the
    parser's guesses: correct it, save it as CORPUS/metadata.csv, and the next build uses it.

    \b
    Example:
      reports-index check corpus
      reports-index check corpus --csv to-check.csv
    """
    result = check(corpus)
    for note in result.notes:
        click.echo(f"warning: {note}", err=True)
    for finding in result.findings:
        why = "; ".join(f"{name} {reason}" for name, reason in finding.reasons.items())
        click.echo(f"{finding.file}: {why}")
    click.echo(f"{len(result.findings)} of {result.reports} reports have metadata to check")
    if out:
        rows = write_csv(result, out)
        click.echo(f"wrote {rows} rows to {out}")


@main.command("replicate")
@click.argument("index_dir", type=click.Path(file_okay=False))
@click.argument("dest", type=click.Path(file_okay=False))
@click.option("--wait", type=click.FloatRange(min=0), default=10.0, show_default=True,
              help="Seconds to wait for another replicate into DEST before giving up.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def replicate_command(index_dir, dest, wait, as_json):
    """Copy the live generation of the index at INDEX_DIR to DEST (a local or mounted folder), then make it
    DEST's live generation atomically. A search server on DEST keeps answering during the copy and follows
    the swap; the two newest generations are kept. Nothing is copied when DEST already serves it.

    \b
    Example:
      reports-index replicate index /mnt/search2/index
    """
    from indexer.build.replicate import ReplicateError, replicate

    try:
        result = replicate(index_dir, dest, wait=wait)
    except ReplicateError as e:
        raise Fatal(str(e)) from None
    except LockTimeout as e:
        raise Locked(str(e)) from None
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if as_json else result.line())


@main.command("stats")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats_command(index_dir, as_json):
    """What the index holds: reports, sections, reports per year / province / city / kind, size on disk,
    format version, corpus path, time of the last build, files that failed in the last build.

    \b
    Example:
      reports-index stats --index-dir index
      reports-index stats --json
    """
    try:
        data = stats(index_dir)
    except StatsError as e:
        raise Fatal(str(e)) from None
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render(data))


if __name__ == "__main__":
    main()
