"""Web UI stage: how a query was read (``/explain``, ``/explain.json``), linked from the search page as 查询解析.

``build(engine, args)`` returns ``{"explanation": Explanation.to_dict(), "ui": {...}}``; the JSON twin returns
``explanation``. The tree is flattened here into indented lines, so the template holds no recursion. ``id``
names the report whose ranking is explained (default: the first hit).
"""

from __future__ import annotations

from dataclasses import replace

from flask import url_for

from search.engine import Engine
from search.explain import UNITS, explain

from .. import urls
from ..labels import MODE_LABELS
from ..params import MAX_ID_CHARS, filter_request

OPS = {"and": "全部满足（与）", "or": "满足其一（或）", "not": "排除（非）"}
SCOPES = {"all": "", "title": "标题中：", "heading": "章节标题中："}


def build(engine: Engine, args) -> dict:
    request = filter_request(args, frozenset({"id"}))
    report_id = (args.get("id") or "").strip()[:MAX_ID_CHARS] or None
    data = explain(engine, request, report_id).to_dict()
    return {"explanation": data, "ui": _ui(data, request, urls.args_of(args))}


def tree_lines(node, depth: int = 0) -> list[dict]:
    """The tree as indented lines: ``{"depth", "label", "text"}``."""
    if node is None:
        return []
    if node["op"] == "term":
        text = node["text"] if node["text"] == node["normalized"] else f"{node['text']} → {node['normalized']}"
        return [{"depth": depth, "label": f"{SCOPES[node['scope']]}检索词", "text": text}]
    if node["op"] == "near":
        return [{"depth": depth, "label": f"{UNITS[node['unit']]}：各词在同一{'句' if node['unit'] == 'sentence' else '段'}中",
                 "text": "、".join(node["normalized"])}]
    children = [node["child"]] if node["op"] == "not" else node["children"]
    out = [{"depth": depth, "label": OPS[node["op"]], "text": ""}]
    for child in children:
        out.extend(tree_lines(child, depth + 1))
    return out


def _term(term: dict, request) -> dict:
    search = urls.search_url(replace(request, q=term["query"], mode="exact"))
    return {"text": term["text"], "where": term["where"] + (f"（{UNITS[term['unit']]}）" if term["unit"] else ""),
            "negated": "排除" if term["negated"] else "",
            "normalized": "、".join(term["normalized"]),
            "grams": "　".join(" ".join(g) for g in term["grams"]),
            "words": "　".join(" / ".join(w) for w in term["words"]),
            "reports": term["reports"], "url": search}


def _ui(data: dict, request, args: urls.Args) -> dict:
    q = request.q
    return {
        "q": q,
        "form_hidden": [{"name": k, "value": v} for k, v in args if k != "q"],
        "mode_label": MODE_LABELS[data["mode"]],
        "normalized": data["normalized"],
        "unchanged": not data["changes"],
        "changes": [{"char": c["char"], "code": f"U+{ord(c['char']):04X}", "to": c["to"] or "（删除）",
                     "reasons": "、".join(c["reasons"])} for c in data["changes"]],
        "notices": data["notices"],
        "parsed": tree_lines(data["parsed"]),
        "searched": tree_lines(data["searched"]) if data["searched"] != data["parsed"] else [],
        "terms": [_term(t, request) for t in data["terms"]],
        "total": data["total"],
        "search_url": urls.search_url(request),
        "modes": [{"label": label, "selected": mode == data["mode"],
                   "url": urls.with_values(url_for("webui.explain"), args, {"mode": None if mode == "exact" else mode})}
                  for mode, label in MODE_LABELS.items()],
        "json_url": urls.path_with_args(url_for("webui.explain_json"), args),
        "ranking": _ranking(data["ranking"]),
    }


def _ranking(ranking: dict | None) -> dict | None:
    if not ranking:
        return None
    return {"file": ranking["file"], "score": ranking["score"],
            "idf": "　".join(f"{t}: {v:.2f}" for t, v in ranking["idf"].items()),
            "report_url": url_for("webui.report", report_id=ranking["file"]),
            "sections": [{**s, "path": " › ".join(s["path"]) or "（正文开头）", "terms": "、".join(s["terms"]),
                          "holds_all": "是" if s["holds_all"] else "否"} for s in ranking["sections"]]}
