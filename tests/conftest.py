"""Shared fixtures: the seed corpus and its hand labels."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_truth() -> list[dict]:
    with open(FIXTURES / "truth.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def truth() -> list[dict]:
    return load_truth()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS
