"""Shared fixtures: the seed corpus and its hand labels, and indexes built from it: ``seed_index`` (read-only,
for the read side), ``seed_build`` / ``built`` (a copy a build test may change)."""

import json
import shutil
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


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """A real index of the five seed reports, built once per session with the builder's library function.

    Shared by every test module that reads an index: treat it as read-only.
    """
    from indexer.build import build

    index_dir = tmp_path_factory.mktemp("seed-index")
    build(CORPUS, index_dir, workers=1)
    return index_dir


@pytest.fixture(scope="module")
def engine(seed_index):
    """A search engine over the seed index (one per test module)."""
    from search.engine import Engine

    engine = Engine(seed_index)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def app(seed_index):
    """The web app over the seed index (one per test module)."""
    from webui import create_app

    return create_app({"INDEX_DIR": str(seed_index), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seeds indexed once per session; ``built`` copies it for a test to change."""
    from build_helpers import make_corpus
    from indexer.build import build

    root = tmp_path_factory.mktemp("seed-build")
    corpus, index_dir = make_corpus(root / "corpus"), root / "index"
    build(corpus, index_dir, workers=1)
    return corpus, index_dir


@pytest.fixture
def built(seed_build, tmp_path):
    """(corpus, index_dir): a writable copy of the seeds and of their index (mtimes kept: nothing to redo)."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(seed_build[0], corpus)
    shutil.copytree(seed_build[1], index_dir)
    return corpus, index_dir


@pytest.fixture(scope="module")
def grep(corpus_dir):
    """report id → normalized title + agency + text: what a user's Ctrl+F would search."""
    from indexer.parse import parse_file
    from search.analysis import normalize_text

    out = {}
    for path in sorted(corpus_dir.iterdir()):
        r = parse_file(path, root=corpus_dir)
        out[r.file] = normalize_text("\n".join([r.title or "", r.agency or "", r.text]))
    return out


KIND_TEXT = ("某局2021年报告\n前言写到执法。\n一、主要举措\n执法记录仪全面配备。局长信箱开通。\n（一）细节\n信访件办结，"
             "问题整改。\n二、存在问题\n执法不规范。\n")


@pytest.fixture(scope="module")
def kind_engine(tmp_path_factory):
    """An engine over one hand-made report (``KIND_TEXT``) whose two sections carry known kinds."""
    from search.engine import Engine
    from search_helpers import build_index, make_report

    path = tmp_path_factory.mktemp("kinds")
    build_index(path, [make_report("k.txt", KIND_TEXT, title="某局2021年报告",
                                   kinds={"一、主要举措": ["举措成效"], "二、存在问题": ["问题不足"]})])
    return Engine(path)
