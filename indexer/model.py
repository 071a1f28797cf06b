"""The parsed report: the one data object passed from the parser (``parse``) to the index builder (``build``).

A ``Report`` is plain data. ``Report.to_dict()`` is the JSON of ``reports-index parse --json`` and is also what
``search.schema.section_documents`` reads, so the search side never needs to import this module.

Offsets: ``text`` is the cleaned report text; every ``Section.start``/``end`` is a character offset into it.
A section spans from the start of its heading to the start of the next heading of the same or a higher level
(or the end of the text): it *includes* its sub-sections. ``body_start`` is where its heading ends. Text before
the first heading (the preamble) belongs to no section.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# Report.evidence: for each of these fields with a value, {"source": one of EVIDENCE_SOURCES, "text": what was
# read}; the shared contract with the search side, declared in search.schema.
from search.schema import EVIDENCE_FIELDS, EVIDENCE_SOURCES, WEAK_SOURCES, uncertain  # noqa: F401

LEVELS = ("provincial", "city", "district", "county")
SECTORS = ("police", "justice", "government", "market_regulation", "ecology_environment", "other")


@dataclass
class Section:
    heading: str
    level: int  # 1: 一、  2: （一）  3: 1. / ① / 一是
    start: int
    end: int
    body_start: int
    kinds: list[str] = field(default_factory=list)  # of ``search.schema.KINDS``; only level 1 is classified
    parent: int | None = None  # index of the parent section in Report.sections

    def to_dict(self) -> dict:
        return plain(self)


@dataclass
class Report:
    file: str  # path relative to the corpus root (the report id), or the path as given
    text: str  # cleaned text
    title: str | None = None
    agency: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: str | None = None
    sector: str | None = None
    year: int | None = None
    publish_date: str | None = None  # YYYY-MM-DD
    doc_date: str | None = None  # YYYY-MM-DD
    source_url: str | None = None
    evidence: dict[str, dict] = field(default_factory=dict)  # field → {"source", "text"[, "uncertain"]}
    sections: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        data = dict(data)
        data["sections"] = [Section(**s) for s in data.get("sections", [])]
        return cls(**data)

    def heading_path(self, index: int) -> list[str]:
        """Headings from the level-1 ancestor down to section ``index``."""
        path = []
        i: int | None = index
        while i is not None:
            path.append(self.sections[i].heading)
            i = self.sections[i].parent
        return path[::-1]


def plain(value):
    """``dataclasses.asdict`` for this module's data (dataclasses, lists, tuples, dicts, and str, numbers, bools and
    None as leaves): the same dicts, containers copied, leaves shared (asdict passes each leaf through
    ``copy.deepcopy``: 5% of a build's time went to a report's ``to_dict``)."""
    if isinstance(value, (Report, Section)):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    return value
