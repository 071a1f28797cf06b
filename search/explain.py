"""Explain (read side, over ``search.query``, ``search.analysis`` and ``search.engine``): how a query is read.

For a query and mode: the normalized query and why each changed character changed (width / compatibility
forms by NFKC, traditional → simplified, case), the parsed tree (terms, operators, scopes, 同句 / 同段), the
tree actually searched (the words mode splits terms into jieba words), and for each of its terms: the field it
is looked up in, the exact grams that pin it down, its jieba words (used for ranking), and how many reports it
matches alone under the same filters. A surprising result then explains itself. And the ranking of one report
(``id``, or the first hit): each section's score and its factors (``search.ranking``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np

from search import query as ql
from search.analysis import normalize_text, query_grams, query_words
from search.engine import Engine, SearchRequest
from search.plan import QueryPlan
from search.ranking import section_scores

FIELDS = {"all": ("exact", "正文、标题、机关"), "title": ("title_exact", "报告标题"), "heading": ("heading_exact", "章节标题")}
UNITS = {"sentence": "同句", "paragraph": "同段"}
QUOTE_PAIRS = (('"', '"'), ("“", "”"), ("＂", "＂"))


@dataclass
class Explanation:
    query: str
    mode: str
    normalized: str
    changes: list[dict] = field(default_factory=list)  # {"char", "to", "reasons"} per changed character
    notices: list[str] = field(default_factory=list)
    parsed: dict | None = None  # the tree as typed
    searched: dict | None = None  # the tree searched (words mode: terms split into words)
    terms: list[dict] = field(default_factory=list)
    total: int = 0
    ranking: dict | None = None  # one report's sections with their score factors (``ranking_of``)

    def to_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "normalized": self.normalized, "changes": self.changes,
                "notices": self.notices, "parsed": self.parsed, "searched": self.searched, "terms": self.terms,
                "total": self.total, "ranking": self.ranking}


def char_changes(q: str) -> list[dict]:
    """Each distinct character of ``q`` the normalization changes, what it becomes and why (the explanation
    passes the terms only: operators such as OR are read before normalization)."""
    out, seen = [], set()
    for ch in q:
        to = normalize_text(ch)
        if to == ch or ch in seen:
            continue
        seen.add(ch)
        nfkc = unicodedata.normalize("NFKC", ch)
        reasons = []
        if unicodedata.category(ch) == "Cf":
            reasons.append("不可见字符，删除")
        else:
            if nfkc != ch:
                reasons.append("全角/兼容字符（NFKC）")
            if normalize_text(nfkc) != nfkc.casefold():
                reasons.append("繁体→简体")
            if nfkc.casefold() != nfkc:
                reasons.append("大小写")
        out.append({"char": ch, "to": to, "reasons": reasons})
    return out


def tree_dict(node) -> dict | None:
    """A query tree as plain data."""
    if node is None:
        return None
    if isinstance(node, ql.Term):
        return {"op": "term", "text": node.text, "normalized": normalize_text(node.text).strip(), "scope": node.scope}
    if isinstance(node, ql.Near):
        return {"op": "near", "unit": node.unit, "terms": list(node.terms),
                "normalized": [normalize_text(t).strip() for t in node.terms]}
    if isinstance(node, ql.Not):
        return {"op": "not", "child": tree_dict(node.child)}
    return {"op": "and" if isinstance(node, ql.And) else "or", "children": [tree_dict(c) for c in node.children]}


def _texts(node) -> list[str]:
    return list(node.terms) if isinstance(node, ql.Near) else [node.text]


def quoted(text: str) -> str:
    """``text`` as one query term, whatever it holds (the query language has no escapes: pick free quotes)."""
    for left, right in QUOTE_PAIRS:
        if right not in text and not (left == '"' and "”" in text):
            return f"{left}{text}{right}"
    return text


def leaf_query(node) -> str:
    """A query string matching exactly what one leaf matches."""
    if isinstance(node, ql.Near):
        return f"{UNITS[node.unit]}({' '.join(quoted(t) for t in node.terms)})"
    prefix = {"all": "", "title": "标题:", "heading": "章节:"}[node.scope]
    return prefix + quoted(node.text)


def _term_info(engine: Engine, request: SearchRequest, node, negated: bool) -> dict:
    alone = replace(request, q=leaf_query(node), mode="exact", page=1, limit=1, sections=False)
    texts = _texts(node)
    scope = "all" if isinstance(node, ql.Near) else node.scope
    fieldname, where = FIELDS[scope]
    return {
        "text": " ".join(texts),
        "query": alone.q,
        "negated": negated,
        "scope": scope,
        "unit": node.unit if isinstance(node, ql.Near) else None,
        "field": fieldname,
        "where": where,
        "normalized": [normalize_text(t).strip() for t in texts],
        "grams": [[g for _, g in query_grams(t)] for t in texts],
        "words": [list(query_words(t)) for t in texts],
        "reports": engine.search(alone).total,
    }


FACTORS = ("bm25", "heading", "proximity", "phrase", "opening", "matches", "weak_share", "length")


def ranking_of(engine: Engine, request: SearchRequest, report_id: str | None) -> dict | None:
    """Report ``report_id``'s (None: the first hit's) score and each of its sections with a match: its score,
    whether it holds every term, and the factors (``search.ranking``: BM25 over sections, heading, proximity,
    phrase, the opening / kind multiplier, matches, the share of their weight lost in weak spans, length)."""
    plan = QueryPlan.of(request.q, request.mode, request.kind)
    if not plan.hit_terms:
        return None
    if report_id is None:
        first = engine.search(replace(request, page=1, limit=1, sections=False)).hits
        if not first:
            return None
        report_id = first[0]["file"]
    with engine.reading() as st:
        r = st.columns.by_id.get(report_id)
        if r is None:
            return None
        only = np.zeros(st.size, dtype=bool)
        only[r] = True
        scored = section_scores(st, plan, only)
        stored = st.texts.report(r)
        rows = sorted(range(len(scored.score)), key=lambda i: -scored.score[i])
        sections = [{"index": int(scored.sec[i]), "path": list(stored[int(scored.sec[i]) + 1].get("path") or []),
                     "score": round(float(scored.score[i]), 4), "holds_all": bool(scored.holds_all[i]),
                     "terms": [t for k, t in enumerate(plan.texts) if int(scored.holds[i]) >> k & 1],
                     **{f: round(float(scored.factors[f][i]), 4) for f in FACTORS}} for i in rows]
        score = float(scored.report_scores(st.size)[r])
    return {"file": report_id, "score": round(score, 4), "idf": dict(zip(plan.texts, map(float, scored.idfs))),
            "sections": sections}


def explain(engine: Engine, request: SearchRequest, report_id: str | None = None) -> Explanation:
    """How ``request.q`` is read in ``request.mode``, what each of its terms matches under its filters, and
    how one report (``report_id`` or the first hit) was ranked."""
    parsed = ql.parse(request.q)
    searched = ql.to_words(parsed.tree) if request.mode == "words" else parsed.tree
    total = engine.search(replace(request, page=1, limit=1, sections=False))
    return Explanation(
        query=request.q, mode=request.mode, normalized=normalize_text(request.q),
        changes=char_changes("".join(t for node, _ in ql.leaves(parsed.tree) for t in _texts(node))),
        notices=list(total.notices), parsed=tree_dict(parsed.tree), searched=tree_dict(searched),
        terms=[_term_info(engine, request, node, negated) for node, negated in ql.leaves(searched)],
        total=total.total, ranking=ranking_of(engine, request, report_id))
