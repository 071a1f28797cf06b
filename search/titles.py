"""Titles (read side, for every face): the one way a report is named on a page or a terminal.

A report's own title when it has one; without one, its agency and work year marked as untitled
(江门市公安局 2020年（无标题）), never made up into a title it does not carry; with neither, its file name.
The CLI, the home page, the result lists, the report page, /compare, /related and the compliance and copies
pages all call ``display_title``.
"""

from __future__ import annotations

UNTITLED = "（无标题）"


def display_title(report: dict) -> str:
    """The title of ``report`` (a dict with ``title``, ``agency``, ``year``, ``file``: a hit, a report, a row)."""
    if report.get("title"):
        return report["title"]
    known = " ".join(x for x in (report.get("agency"), f"{report['year']}年" if report.get("year") else None) if x)
    return f"{known}{UNTITLED}" if known else report["file"]
