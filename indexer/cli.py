"""``reports-index``: the indexer's command line (a thin click layer over ``indexer.parse`` and friends).

``parse`` is defined here; ``build`` and ``stats`` are registered on the same group by ``indexer.cli_build``.
"""

from __future__ import annotations

import json

import click

from indexer.model import Report
from indexer.parse import parse_file
from indexer.readers import ReadError


class UnreadableFile(click.ClickException):
    """A file the readers cannot turn into text: one line on stderr, exit code 2."""

    exit_code = 2


@click.group(help="Parse and index rule-of-law government reports (法治政府建设年度报告).")
@click.version_option(package_name="reports-search")
def main() -> None:
    pass


def summary(report: Report) -> str:
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
    lines.append(f"{'sections:':<14}{len(report.sections)}")
    for s in report.sections:
        kinds = f"  [{', '.join(s.kinds)}]" if s.kinds else ""
        lines.append(f"{'  ' * s.level}{s.heading}{kinds}")
    return "\n".join(lines)


@main.command("parse")
@click.argument("file", type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed report as one JSON object.")
def parse_command(file: str, as_json: bool) -> None:
    """Parse one report FILE (.txt, .html/.htm, .docx, .pdf) and print its metadata and sections.

    With --json, print one JSON object: file, text, title, agency, province, city, county, level, sector,
    year, publish_date, doc_date, source_url and sections (heading, level, kinds, start, end, body_start,
    parent; offsets index the cleaned text). A file that cannot be read exits with code 2.

    \b
    Example:
      reports-index parse corpus/000_27c9d69931be37ee.txt
      reports-index parse report.html --json
    """
    try:
        report = parse_file(file)
    except ReadError as e:
        raise UnreadableFile(str(e)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(summary(report))


from indexer.cli_build import build_command, stats_command  # noqa: E402 (after main: cli_build is a leaf)

main.add_command(build_command)
main.add_command(stats_command)

if __name__ == "__main__":
    main()
