"""Query language (read side, no index needed): what a user types → a small query tree.

Syntax (the whole language; nothing else is special, Whoosh's own syntax is never reached):

    执法 记录仪            both terms, anywhere in the same report (each literally, after normalization)
    "执法 记录仪"          a quoted term may contain spaces (any whitespace run in the text matches)
    执法 OR 执勤           either (也可 `或`); OR binds tighter than the space:
                           执法 OR 执勤 记录仪 = (执法 OR 执勤) 记录仪;  执法 AND 记录仪 (也可 `与`) is the same as a space
    -信访   NOT 信访       must not appear (也可 `非`); Chinese operators only as space-separated words
    (执法 OR 执勤) 记录仪  parentheses group (full-width （） too)
    标题:执法   title:执法   the term must be in the report title
    章节:执法   heading:执法 the term must be in a section heading
    同句(执法 记录仪)      all terms in one sentence (ends at 。！？； or a line break)
    同段(执法 记录仪)      all terms in one paragraph (one line)

Operators, scopes and 同句 / 同段 are folded as the terms are (full width, traditional script, case): 標題:執法,
章節:問題, ＯＲ, or, and, not, 與 work like 标题:执法, 章节:问题, OR, AND, NOT, 与.

Parsing never fails on what a user types: unbalanced quotes and parentheses are repaired and a notice
says so; dangling operators are ignored with a notice. ``QueryError`` is for bad parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.analysis import normalize_text, query_grams, query_words


class QueryError(ValueError):
    """A message a user can read: a bad parameter or an unusable query."""


@dataclass(frozen=True)
class Term:
    text: str  # as typed (normalized when matched)
    scope: str = "all"  # "all" | "title" | "heading"


@dataclass(frozen=True)
class Near:
    unit: str  # "sentence" | "paragraph"
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass
class ParsedQuery:
    tree: object | None  # None: empty query (every report)
    notices: list[str] = field(default_factory=list)


OPERATORS = {"OR": "OR", "或": "OR", "AND": "AND", "与": "AND", "NOT": "NOT", "非": "NOT"}
SCOPES = {"标题": "title", "title": "title", "章节": "heading", "小标题": "heading", "heading": "heading"}
NEAR_UNITS = {"同句": "sentence", "同段": "paragraph"}
QUOTES = {'"': '"', "“": "”", "＂": "＂", "”": "”"}
MAX_TERMS = 64

_SCOPE_RE = re.compile(r"^([^:()]{1,12}):")
_NEAR_RE = re.compile(r"^([^:()]{1,12})\(")


def _keyword(word: str, table: dict) -> str | None:
    """``table``'s value for ``word`` folded as terms are (width, traditional script, case: 標題 = 标题,
    ＯＲ = or = OR), or None when it is no keyword."""
    return table.get(word) or table.get(normalize_text(word)) or table.get(normalize_text(word).upper())


# --------------------------------------------------------------------------------------------------
# Lexer: tokens are (kind, value) with kind in TERM, QTERM, OP, LP, RP, SCOPE, NEAR


def _lex_chunk(chunk: str, out: list) -> None:
    m = _NEAR_RE.match(chunk)
    if m and _keyword(m.group(1), NEAR_UNITS):
        out.append(("NEAR", _keyword(m.group(1), NEAR_UNITS)))
        chunk = chunk[m.end():]
    m = _SCOPE_RE.match(chunk)
    if m and _keyword(m.group(1), SCOPES):
        out.append(("SCOPE", _keyword(m.group(1), SCOPES)))
        chunk = chunk[m.end():]
    if not chunk:
        return
    if _keyword(chunk, OPERATORS):
        out.append(("OP", _keyword(chunk, OPERATORS)))
        return
    if chunk == "-":
        out.append(("OP", "NOT"))
        return
    if chunk.startswith("-") and chunk.strip("-"):
        out.append(("OP", "NOT"))
        chunk = chunk[1:]
    lead = len(chunk) - len(chunk.lstrip("("))
    trail = len(chunk) - len(chunk.rstrip(")"))
    inner = chunk[lead:len(chunk) - trail]
    if "(" in inner or ")" in inner:  # e.g. (一)提高 or 规划(2021-2025年): literal text
        out.append(("TERM", chunk))
        return
    out.extend([("LP", "(")] * lead)
    if inner:
        out.append(("TERM", inner))
    out.extend([("RP", ")")] * trail)


def tokenize(q: str, notices: list[str]) -> list[tuple[str, str]]:
    q = q.replace("（", "(").replace("）", ")").replace("：", ":").replace("\u3000", " ")
    out: list[tuple[str, str]] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
        elif ch in QUOTES:
            close = QUOTES[ch]
            j = q.find(close, i + 1)
            if ch == '"' and j < 0:
                j = q.find("”", i + 1)
            if j < 0:
                notices.append("缺少右引号，已按引到末尾处理")
                j = n
            out.append(("QTERM", q[i + 1:j]))
            i = j + 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in QUOTES:
                j += 1
            _lex_chunk(q[i:j], out)
            i = j
    # "同句 (a b)" with a space: still the operator
    for k in range(len(out) - 1):
        if out[k][0] == "TERM" and _keyword(out[k][1], NEAR_UNITS) and out[k + 1][0] == "LP":
            out[k], out[k + 1] = ("NEAR", _keyword(out[k][1], NEAR_UNITS)), ("SKIP", "")
    return [t for t in out if t[0] != "SKIP"]


# --------------------------------------------------------------------------------------------------
# Parser: recursive descent, repairing as it goes


class _Parser:
    def __init__(self, tokens, notices):
        self.tokens = tokens
        self.i = 0
        self.notices = notices
        self.depth = 0
        self.terms = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("EOF", "")

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def note(self, msg):
        if msg not in self.notices:
            self.notices.append(msg)

    def parse(self):
        items = []
        while self.peek()[0] != "EOF":
            node = self.parse_and()
            if node is not None:
                items.append(node)
            if self.peek()[0] == "RP":
                self.take()
                self.note("多余的右括号已忽略")
        return _and(items)

    def parse_and(self):
        """A sequence of OR-groups (space or AND between them)."""
        items = []
        while True:
            kind, value = self.peek()
            if kind in ("EOF", "RP"):
                break
            if (kind, value) == ("OP", "AND"):
                self.take()
                if not items:
                    self.note("AND/与 前面需要检索词，已忽略")
                continue
            if (kind, value) == ("OP", "OR"):
                self.take()
                self.note("OR/或 两边都需要检索词，已忽略多余的 OR")
                continue
            node = self.parse_or()
            if node is not None:
                items.append(node)
        return _and(items)

    def parse_or(self):
        """OR binds tighter than the space: 执法 OR 执勤 记录仪 = (执法 OR 执勤) 记录仪."""
        left = self.parse_unary()
        while self.peek() == ("OP", "OR"):
            self.take()
            if self.peek()[0] in ("EOF", "RP") or self.peek() == ("OP", "AND"):
                self.note("OR/或 两边都需要检索词，已忽略多余的 OR")
                break
            right = self.parse_unary()
            if right is None or left is None:
                left = left if right is None else right
            else:
                left = _or([left, right])
        return left

    def parse_unary(self):
        if self.peek() == ("OP", "NOT"):
            self.take()
            if self.peek()[0] in ("EOF", "RP") or self.peek()[0] == "OP":
                self.note("NOT/非/- 后面需要检索词，已忽略")
                return None
            child = self.parse_unary()
            if child is None:
                return None
            return child.child if isinstance(child, Not) else Not(child)
        return self.parse_primary()

    def parse_primary(self, scope="all"):
        kind, value = self.take()
        if kind == "LP":
            self.depth += 1
            node = self.parse_and()
            if self.peek()[0] == "RP":
                self.take()
            else:
                self.note("缺少右括号，已自动补上")
            self.depth -= 1
            return _scoped(node, scope)
        if kind == "SCOPE":
            return self.parse_primary(scope=value)
        if kind == "NEAR":
            return self.parse_near(value)
        if kind in ("TERM", "QTERM"):
            return self.term(value, scope)
        if kind == "OP":
            self.note(f"运算符 {value} 位置不对，已忽略")
        return None

    def parse_near(self, unit):
        terms = []
        while self.peek()[0] not in ("RP", "EOF"):
            kind, value = self.take()
            if kind in ("TERM", "QTERM") and query_grams(value):
                terms.append(value)
            elif kind != "LP":
                self.note("同句/同段 括号内只能写检索词，运算符已忽略")
        if self.peek()[0] == "RP":
            self.take()
        else:
            self.note("缺少右括号，已自动补上")
        room = max(MAX_TERMS - self.terms, 0)
        if len(terms) > room:  # the cap holds inside 同句/同段 too
            self.note(f"检索词过多，只使用前 {MAX_TERMS} 个")
            terms = terms[:room]
        if len(terms) < 2:
            return _and([self.term(t, "all") for t in terms])
        self.terms += len(terms)
        return Near(unit, tuple(terms))

    def term(self, text, scope):
        if not query_grams(text):
            return None
        self.terms += 1
        if self.terms > MAX_TERMS:
            self.note(f"检索词过多，只使用前 {MAX_TERMS} 个")
            return None
        return Term(text, scope)


def _and(items):
    items = [x for x in items if x is not None]
    flat = []
    for x in items:
        flat.extend(x.children if isinstance(x, And) else [x])
    return None if not flat else flat[0] if len(flat) == 1 else And(tuple(flat))


def _or(items):
    flat = []
    for x in items:
        flat.extend(x.children if isinstance(x, Or) else [x])
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def _scoped(node, scope):
    if node is None or scope == "all":
        return node
    if isinstance(node, Term):
        return Term(node.text, scope)
    if isinstance(node, Not):
        return Not(_scoped(node.child, scope))
    if isinstance(node, (And, Or)):
        return type(node)(tuple(_scoped(c, scope) for c in node.children))
    return node


MAX_DEPTH = 16  # bracket nesting kept; deeper pairs are dropped (every tree walk stays shallow)


def _cap_nesting(tokens: list[tuple[str, str]], notices: list[str]) -> list[tuple[str, str]]:
    """Drop the brackets nested deeper than MAX_DEPTH, in pairs, keeping what they hold."""
    out, depth, dropped = [], 0, 0
    for kind, value in tokens:
        if kind == "LP" and depth >= MAX_DEPTH:
            dropped += 1
            continue
        if kind == "RP" and dropped:
            dropped -= 1
            continue
        depth += kind == "LP"
        depth -= kind == "RP" and depth > 0
        out.append((kind, value))
    if len(out) < len(tokens):
        notices.append(f"括号嵌套超过 {MAX_DEPTH} 层，多余的括号已忽略")
    return out


def parse(q: str) -> ParsedQuery:
    """Parse a user's query; never raises on its content."""
    notices: list[str] = []
    tree = _Parser(_cap_nesting(tokenize(q or "", notices), notices), notices).parse()
    return ParsedQuery(tree, notices)


# --------------------------------------------------------------------------------------------------
# Tree helpers used by the engine


def to_words(node):
    """The ``words`` mode tree: each term becomes its jieba words, all required, in any order."""
    if isinstance(node, Term):
        ws = query_words(node.text)
        return _and([Term(w, node.scope) for w in ws]) if len(ws) > 1 else node
    if isinstance(node, Not):
        return Not(to_words(node.child))
    if isinstance(node, (And, Or)):
        return (_and if isinstance(node, And) else _or)([to_words(c) for c in node.children])
    return node


def leaves(node, negated=False) -> list[tuple[Term | Near, bool]]:
    """Terms and 同句/同段 groups, each once in query order, with whether they stand under a NOT."""
    if node is None:
        return []
    if isinstance(node, (Term, Near)):
        return [(node, negated)]
    if isinstance(node, Not):
        return leaves(node.child, not negated)
    out = []
    for c in node.children:
        for leaf in leaves(c, negated):
            if leaf not in out:
                out.append(leaf)
    return out


def positive_leaves(node) -> list:
    """Terms and 同句/同段 groups not under NOT, each once."""
    return [leaf for leaf, negated in leaves(node) if not negated]


def positive_terms(node) -> list[Term]:
    """Terms that make a report match (not under NOT; a group's terms too): highlighted, counted, ranked."""
    out = []
    for leaf in positive_leaves(node):
        for t in [leaf] if isinstance(leaf, Term) else [Term(x) for x in leaf.terms]:
            if t not in out:
                out.append(t)
    return out


def only_negative(node) -> bool:
    return node is not None and not positive_terms(node)


def normalized_key(node) -> str:
    """A stable text form of a tree (cache keys, debugging)."""
    if isinstance(node, Term):
        t = normalize_text(node.text)
        return t if node.scope == "all" else f"{node.scope}:{t!r}"
    if isinstance(node, Near):
        return f"{node.unit}({' '.join(map(normalize_text, node.terms))})"
    if isinstance(node, Not):
        return f"-({normalized_key(node.child)})"
    if isinstance(node, (And, Or)):
        sep = " " if isinstance(node, And) else " OR "
        return "(" + sep.join(normalized_key(c) for c in node.children) + ")"
    return ""
