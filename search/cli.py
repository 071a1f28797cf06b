"""reports-search: the command-line face of ``search.engine`` (parses options, prints the result)."""

from __future__ import annotations

import html
import json
import re

import math

import click

from search.engine import Engine, FilterError, SearchRequest
from search.query import QueryError
from search.schema import IndexFormatError, IndexMissingError
from search.titles import display_title

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
_YEAR = re.compile(r"^\s*(\d{4})\s*(?:[-–~至到]\s*(\d{4})\s*)?$")


class SearchFailed(click.ClickException):
    """One-line message, exit code 2 (no index, bad query or parameter)."""

    exit_code = 2


def parse_year(value: str | None) -> tuple[int | None, int | None]:
    """'2021' → (2021, 2021); '2020-2022' → (2020, 2022)."""
    if not value:
        return None, None
    from search.analysis import normalize_text

    m = _YEAR.match(normalize_text(value))
    if not m:
        raise QueryError(f"--year must be a year (2021) or a range (2020-2022), not {value!r}")
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    if lo > hi:
        raise QueryError(f"--year range {value!r} is empty: the first year is later")
    return lo, hi


def parse_years(values: tuple[str, ...]) -> tuple[int | None, int | None, list[int]]:
    """One --year: a year or a range (year_from, year_to); several: the set of their years."""
    if len(values) <= 1:
        return (*parse_year(values[0] if values else None), [])
    years = set()
    for value in values:
        lo, hi = parse_year(value)
        years.update(range(lo, hi + 1))
    return None, None, sorted(years)


def _terminal(snippet: str) -> str:
    marked = _MARK.sub(lambda m: click.style(html.unescape(m.group(1)), fg="red", bold=True), snippet)
    return html.unescape(marked)


def _print_result(result: dict) -> None:
    total, page, limit = result["total"], result["page"], result["limit"]
    for notice in result.get("notices") or []:
        click.echo(click.style("注意: ", fg="yellow") + notice)
    first = (page - 1) * limit
    click.echo(f"{total} 份报告" + (f"，第 {first + 1}–{first + len(result['hits'])} 份" if result["hits"] else ""))
    for i, hit in enumerate(result["hits"], start=first + 1):
        place = " ".join(x for x in (hit["province"], hit["city"], hit["county"]) if x)
        meta = " · ".join(str(x) for x in (hit["agency"], hit["year"], place, hit["publish_date"]) if x)
        click.echo()
        click.echo(click.style(f"{i}. {display_title(hit)}", bold=True))
        click.echo(click.style(f"   {meta}  [{hit['file']}]", dim=True))
        for sec in hit["sections"]:
            path = " › ".join(sec["path"]) or "（正文开头）"
            click.echo(click.style(f"   § {path}", fg="cyan") + f"  ({sec['matches']} 处)")
            for snip in sec["snippets"]:
                click.echo(f"     {_terminal(snip)}")
        more = hit.get("sections_total", 0) - len(hit["sections"])
        if more > 0:
            click.echo(click.style(f"   … 另有 {more} 个章节（--every-section 列出全部）", dim=True))
    suggestion = result.get("suggestion")
    if suggestion and suggestion.get("mode") == "words":
        click.echo()
        click.echo(click.style("提示: ", fg="yellow") + f"按词检索 (--mode words) 可找到 {suggestion['total']} 份报告")
    for offer in result.get("also") or []:
        click.echo(click.style("也可检索: ", fg="yellow") + f"{offer['term']} 即 {offer['means']}: {offer['q']}"
                   f"（{offer['total']} 份报告）")
    slip = result.get("did_you_mean")
    if slip:
        click.echo(click.style("您是不是要找: ", fg="yellow") + f"{slip['q']}（{slip['count']} 份报告）")


@click.command(name="reports-search")
@click.argument("query", nargs=-1)
@click.option("--index-dir", envvar="REPORTS_INDEX_DIR", default="./index", show_default=True,
              type=click.Path(file_okay=False), help="Index directory (or $REPORTS_INDEX_DIR).")
@click.option("--province", multiple=True, help="Only this province (repeatable).")
@click.option("--city", multiple=True, help="Only this city (repeatable).")
@click.option("--county", multiple=True, help="Only this county/district (repeatable).")
@click.option("--agency", multiple=True, help="Only this agency (repeatable).")
@click.option("--level", multiple=True, help="provincial | city | district | county (repeatable).")
@click.option("--sector", multiple=True, help="police | justice | government | … (repeatable).")
@click.option("--year", "year", multiple=True,
              help="One year (2021) or a range (2020-2022); repeated: any of those years (--year 2021 --year 2023).")
@click.option("--kind", multiple=True, help="Section kind: 举措成效 | 问题不足 | 第一责任人 | 下年安排 | 其他.")
@click.option("--mode", type=click.Choice(["exact", "words"]), default="exact", show_default=True,
              help="exact: each term literally; words: jieba words of the query in any order.")
@click.option("--sort", type=click.Choice(["relevance", "year"]), default="relevance", show_default=True)
@click.option("--limit", type=int, default=10, show_default=True, help="Reports per page (up to 10000).")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--every-section", is_flag=True,
              help="List every section with a match in each hit (as /search.csv does), not only the best ones.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def main(query, index_dir, province, city, county, agency, level, sector, year, kind, mode, sort, limit, page,
         every_section, as_json):
    """Search the report index: QUERY terms must all appear in a report (exact, after normalization).
    Several arguments are one query joined by spaces; put `--` before a query that starts with a minus.

    Filter values may be typed as people write them (广东省, 杭州市, 萧山, 四平 for 四平市公安局): they are
    matched to the index's own values; an unknown one exits 2 naming close values.

    Query syntax: space = AND; OR / 或; -term, NOT / 非; (…) groups; "quoted terms";
    标题:词 / title:词 (in the title); 章节:词 / heading:词 (in a heading);
    同句(词 词) / 同段(词 词) (in one sentence / paragraph).

    \b
    Example:
        reports-search 执法记录仪
        reports-search '执法 -信访' --province 广东 --year 2020-2022
        reports-search '标题:公安 同句(执法 记录仪)' --kind 问题不足 --json
        reports-search 执法 记录仪 --province 广东省 --year 2021 --year 2023
        reports-search -- -信访 公安
    """
    try:
        year_from, year_to, years = parse_years(year)
        request = SearchRequest(q=" ".join(query), mode=mode, province=list(province), city=list(city),
                                county=list(county), agency=list(agency), level=list(level),
                                sector=list(sector), kind=list(kind), year_from=year_from, year_to=year_to,
                                years=years, sort=sort, page=page, limit=limit, every_section=every_section)
        request.validate()
        result = Engine(index_dir).search(request).to_dict()
    except FilterError as e:
        raise SearchFailed(f"--{e.field} {e.value}: {e.reason}") from None
    except (IndexMissingError, IndexFormatError, QueryError) as e:
        raise SearchFailed(str(e)) from None
    pages = max(1, math.ceil(result["total"] / limit))
    if page > pages:  # as the web's 400
        raise SearchFailed(f"--page {page} is out of range: the last page is {pages} "
                           f"({result['total']} reports, {limit} a page)")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_result(result)


if __name__ == "__main__":  # pragma: no cover
    main()
