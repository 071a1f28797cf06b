"""Test helpers for the readers (``tests/test_readers*.py``): the seeds by number, a short excerpt of one,
the non-empty lines of a text."""

from conftest import CORPUS

SEEDS = sorted(CORPUS.glob("*.txt"))


def seed(n: int) -> str:
    return SEEDS[n].read_text(encoding="utf-8")


def excerpt(n: int, lines: int) -> str:
    """The first non-empty lines of a seed, stripped: a short report with a title/preamble and headings."""
    return "\n".join([line.strip() for line in seed(n).split("\n") if line.strip()][:lines])


def nonempty(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]
