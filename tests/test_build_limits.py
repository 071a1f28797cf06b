"""Bounded reading (indexer.build.worker): a file that takes too long or too much memory fails with that reason
and the rest of the build goes on — a text that keeps the regex stages busy past the deadline, a PDF whose
content stream inflates past the worker's memory limit (a real build in a subprocess with two workers)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zlib

import pytest

from conftest import FIXTURES
from indexer.build.worker import MEMORY_ENV, SECONDS_ENV, FileTimeout, deadline

GOOD = FIXTURES / "metadata" / "05_slogan_city.txt"


def slow_text() -> str:
    """Just under the reader's 1,000,000 characters, all agency names: every one is matched by the agency
    regex, then its places looked up (``agency.agencies_in``), then the whole run cut into words — by the
    reference jieba, since a digit keeps the run from being Han only (the fast segmenter's part): ~6 s here, and
    a few seconds on a fast machine, against the 1 s limit (a good report takes milliseconds: the worker has
    loaded its dictionaries before its first file)."""
    return "报告\n" + "区公安局甲乙丙分局1" * 95_000


def inflating_pdf(inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream is a few hundred KB compressed and ``inflated_mb`` MB inflated."""
    packer = zlib.compressobj(9)
    chunk = b"0 0 m\n" * (1 << 17)
    body = b"".join(packer.compress(chunk) for _ in range(inflated_mb * (1 << 20) // len(chunk))) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def build(corpus, index_dir, **env):
    cmd = [sys.executable, "-m", "indexer.cli", "build", str(corpus), "--index-dir", str(index_dir), "--quiet",
           "--workers", "2", "--json"]
    return subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, **env))


def test_deadline_interrupts_the_work_and_restores_the_timer():
    with pytest.raises(FileTimeout, match=r"time limit exceeded \(0.2 s\)"):
        with deadline(0.2):
            while True:
                pass
    with deadline(0):  # no limit
        pass


def build_beside_two_good_files(tmp_path, name: str, content: bytes, env: str, limit: str) -> dict:
    """Build a corpus of two good reports and ``name`` with the limit ``env`` set; its JSON summary (the
    build must exit 1: done, some files failed)."""
    import json

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(GOOD, corpus / "good.txt")
    shutil.copy(GOOD, corpus / "good2.txt")
    (corpus / name).write_bytes(content)
    done = build(corpus, tmp_path / "index", **{env: limit})
    assert 1 == done.returncode, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_a_slow_text_fails_with_the_time_limit_and_the_rest_is_indexed(tmp_path):
    summary = build_beside_two_good_files(tmp_path, "slow.txt", slow_text().encode("utf-8"), SECONDS_ENV, "1")
    assert (2, [{"file": "slow.txt", "reason": "time limit exceeded (1 s)"}]) == (summary["added"], summary["failed"])


@pytest.mark.slow
def test_a_pdf_inflating_past_the_memory_limit_fails_and_the_rest_is_indexed(tmp_path):
    summary = build_beside_two_good_files(tmp_path, "bomb.pdf", inflating_pdf(1024), MEMORY_ENV, "300")
    assert (2, [{"file": "bomb.pdf", "reason": "memory limit exceeded"}]) == (summary["added"], summary["failed"])
