"""Web UI stage: the excerpt basket (``/excerpts``, ``/excerpts.json``, ``/excerpts.docx``, ``/excerpts.xlsx``).

The basket is URL state: ``x=<file>#p-N`` once per excerpt (the report page's paragraph permalinks), in the
order added; ``group=kind`` (default: by the section kind of each excerpt's level-1 section) or
``group=report``. The add buttons on report paragraphs and result snippets build that URL (``static/app.js``,
which also remembers the basket between pages). ``build(engine, args)`` returns
``{"excerpts": {...}, "ui": {...}}``; the JSON twin returns ``excerpts``, the Word and Excel twins are written
from the same object (``docx_file``, ``xlsx_table``).
"""

from __future__ import annotations

import io
import re

from flask import url_for

from search.analysis import paragraph_lines
from search.engine import Engine
from search.schema import KINDS
from search.titles import display_title

from .. import urls
from ..params import ParamError, check_names, choice

MAX_EXCERPTS = 200
GROUPS = ("kind", "report")
GROUP_LABELS = {"kind": "按章节类别", "report": "按报告"}
NO_KIND = "其他"
PARAMS = frozenset({"x", "group"})
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ITEM = re.compile(r"^(?P<file>[^#\x00-\x1f]{1,500})#p-(?P<n>[1-9][0-9]{0,5})$")


def parse_items(args) -> list[tuple[str, int]]:
    """The ``x`` values as (file, paragraph number), duplicates dropped, in order."""
    values = list(dict.fromkeys(v.strip() for v in args.getlist("x") if v.strip()))
    if len(values) > MAX_EXCERPTS:
        raise ParamError(f"摘录篮最多 {MAX_EXCERPTS} 段，当前 {len(values)} 段")
    items = []
    for value in values:
        m = _ITEM.match(value)
        if not m:
            raise ParamError(f"参数 x 应为“报告文件#p-段落号”，如 a.txt#p-3，收到“{value[:60]}”")
        items.append((m.group("file"), int(m.group("n"))))
    return items


def build(engine: Engine, args) -> dict:
    check_names(args, PARAMS)
    group = choice(args, "group", GROUPS)
    items = parse_items(args)
    reports: dict[str, dict | None] = {}
    excerpts, missing = [], []
    for file, n in items:
        if file not in reports:
            reports[file] = engine.report(file)
        found = excerpt(reports[file], file, n)
        (excerpts if found else missing).append(found or {"x": f"{file}#p-{n}", "file": file, "paragraph": n})
    data = {"group": group, "excerpts": excerpts, "groups": groups(excerpts, group), "missing": missing}
    return {"excerpts": data, "ui": _ui(data, urls.args_of(args))}


def excerpt(report: dict | None, file: str, n: int) -> dict | None:
    """Paragraph ``n`` of a report (``Engine.report``) with its source, or None if there is no such paragraph."""
    if report is None:
        return None
    line = next(((start, text) for i, start, _, text in paragraph_lines(report["text"]) if i == n), None)
    if line is None:
        return None
    start, text = line
    around = [s for s in report["sections"] if s["start"] <= start < s["end"]]
    section = max(around, key=lambda s: s["start"], default=None)
    return {"x": f"{file}#p-{n}", "file": file, "paragraph": n, "text": text.strip(), "title": report.get("title"),
            "agency": report.get("agency"), "year": report.get("year"),
            "section": list(section["path"]) if section else [], "kinds": list(section["kinds"]) if section else [],
            "link": urls.report_url(file, _external=True, _anchor=f"p-{n}")}


def groups(excerpts: list[dict], group: str) -> list[dict]:
    """The excerpts in groups: per section kind (an excerpt under its first kind, in the order of KINDS), or per
    report (in the order first added); ``items`` index ``excerpts``."""
    out: dict[str, list[int]] = {}
    if group == "kind":
        for kind in KINDS:
            out[kind] = []
        for i, e in enumerate(excerpts):
            kind = (e["kinds"] or [NO_KIND])[0]
            out[kind if kind in out else NO_KIND].append(i)
        return [{"label": k, "items": v} for k, v in out.items() if v]
    labels = {}
    for i, e in enumerate(excerpts):
        labels.setdefault(e["file"], display_title(e))
        out.setdefault(e["file"], []).append(i)
    return [{"label": labels[f], "file": f, "items": v} for f, v in out.items()]


def snippet_paragraphs(hits: list[dict]) -> dict[tuple[str, int], list[str | None]]:
    """Per (file, section index) of search hits: the basket value (``<file>#p-N``) of each of its snippets'
    paragraphs (the hit's ``paragraphs``; None where there is none), for the 摘录 buttons of the results page."""
    return {(hit["file"], section.get("index")): [f"{hit['file']}#p-{n}" if n else None
                                                  for n in section.get("paragraphs") or []]
            for hit in hits for section in hit["sections"]}


def source_line(e: dict) -> str:
    """Where an excerpt comes from, in one line: agency, year, title, section path, link."""
    parts = [e.get("agency"), f"{e['year']}年" if e.get("year") else None,
             f"《{e['title']}》" if e.get("title") else None, " › ".join(e["section"]) or None, e["link"]]
    return "——" + "，".join(p for p in parts if p)


def _ui(data: dict, args: urls.Args) -> dict:
    path = url_for("webui.excerpts")
    rows = [{"label": g["label"], "excerpts": [{
        "text": data["excerpts"][i]["text"], "source": source_line(data["excerpts"][i]),
        "url": urls.report_url(data["excerpts"][i]["file"], _anchor=f"p-{data['excerpts'][i]['paragraph']}"),
        "remove_url": urls.with_removed(path, args, "x", data["excerpts"][i]["x"])} for i in g["items"]]}
        for g in data["groups"]]
    return {
        "count": len(data["excerpts"]), "groups": rows,
        "missing": [{"x": m["x"], "remove_url": urls.with_removed(path, args, "x", m["x"])} for m in data["missing"]],
        "group_options": [{"label": label, "selected": name == data["group"],
                           "url": urls.with_replaced(path, args, "group", None if name == "kind" else name)}
                          for name, label in GROUP_LABELS.items()],
        "items": [e["x"] for e in data["excerpts"]],
        "clear_url": path,
        "docx_url": urls.path_with_args(url_for("webui.excerpts_docx"), args),
        "xlsx_url": urls.path_with_args(url_for("webui.excerpts_xlsx"), args),
        "json_url": urls.path_with_args(url_for("webui.excerpts_json"), args),
    }


def docx_file(data: dict) -> bytes:
    """The basket as a Word document: a heading per group, each excerpt as its paragraph, then its source."""
    import docx
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.add_heading("摘录", level=0)
    if not data["excerpts"]:
        document.add_paragraph("（摘录篮是空的）")
    for g in data["groups"]:
        document.add_heading(g["label"], level=1)
        for i in g["items"]:
            e = data["excerpts"][i]
            document.add_paragraph(e["text"])
            source = document.add_paragraph().add_run(source_line(e))
            source.font.size = Pt(9)
            source.font.color.rgb = RGBColor(0x59, 0x63, 0x6E)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_table(data: dict) -> tuple[list[str], list[list]]:
    """The basket as rows: one per excerpt, in its group."""
    header = ["分组", "摘录", "机关", "年份", "标题", "章节", "链接", "文件", "段落"]
    rows = []
    for g in data["groups"]:
        for i in g["items"]:
            e = data["excerpts"][i]
            rows.append([g["label"], e["text"], e["agency"], e["year"], e["title"], " › ".join(e["section"]),
                         e["link"], e["file"], e["paragraph"]])
    return header, rows
