"""Reliability: a corpus of hostile files. Each bad one is listed with its reason (exit code 1), every good one is
indexed and found, nothing crashes or hangs: binary, zero-byte, GBK, UTF-16, truncated UTF-8, a 20 MB text,
HTML nested 5,000 levels deep, a FIFO, a symbolic link loop, a file without read permission, a file renamed while
the build runs.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from indexer.build import PAUSE_ENV
from reliability import SEEDS, cli_build, record, report_ids
from search.engine import Engine, SearchRequest

TIMEOUT = 600  # a hung build (a FIFO read without a writer) fails the test instead of hanging the suite


def marked(n: int, marker: str) -> str:
    """Seed n's text with a line holding ``marker`` (a string found nowhere else in the corpus) in its middle:
    a page's closing lines may be footer clutter the parser drops."""
    lines = SEEDS[n].read_text(encoding="utf-8").split("\n")
    middle = len(lines) // 2
    return "\n".join(lines[:middle] + [f"我局{marker}工作稳步推进。"] + lines[middle:])


def deep_html(text: str, depth: int = 5000) -> str:
    lines = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
    nested = f"{'<div>' * depth}{lines}{'</div>' * depth}"
    return f"<html><head><title>深层嵌套</title></head><body>{nested}</body></html>"


def good_files(corpus: Path) -> dict[str, str]:
    """Write the good files; returns report id → its marker."""
    markers = {}

    def put(name: str, n: int, encode) -> None:
        marker = f"校验标记{len(markers):02d}号"
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(marked(n, marker)))
        markers[name] = marker

    put("utf8.txt", 0, lambda t: t.encode("utf-8"))
    put("gbk.txt", 1, lambda t: t.encode("gbk"))
    put("utf16-bom.txt", 0, lambda t: ("\ufeff" + t).encode("utf-16-le"))
    put("utf16-be-bom.txt", 1, lambda t: ("\ufeff" + t).encode("utf-16-be"))
    put("utf16-no-bom.txt", 2, lambda t: t.encode("utf-16-le"))
    put("truncated-utf8.txt", 3, lambda t: t.encode("utf-8") + "法治".encode("utf-8")[:4])  # cut mid-character
    put("broken-bytes.txt", 1, lambda t: _damage(t.encode("utf-8")))
    put("deep/nested.html", 2, lambda t: deep_html(t).encode("utf-8"))
    put("deep/gb2312.html", 3, lambda t: deep_html(t, 300).replace("<head>", '<head><meta charset="gb2312">')
        .encode("gbk"))
    return markers


def _damage(data: bytes) -> bytes:
    """A few bytes overwritten with garbage, as a cut or corrupted download has."""
    rnd = random.Random(3)
    buf = bytearray(data)
    for _ in range(5):
        buf[rnd.randrange(100, len(buf))] = 0xFF
    return bytes(buf)


BAD = {
    "binary.txt": "not a text file (binary content)",
    "zero.txt": "empty file",
    "huge.txt": "text too long for a report (20 MB, at most 1,000,000 characters)",
    "pipe.txt": "not a regular file (a pipe, socket or device)",
    "loop-a.txt": "symbolic link loop",
    "loop-b.txt": "symbolic link loop",
    "dangling.html": "broken symbolic link",
    "fake.pdf": "not a valid .pdf file (damaged?)",
    "zip.docx": "not a valid .docx file (damaged, or an old .doc renamed?)",
}


def bad_files(corpus: Path) -> None:
    (corpus / "binary.txt").write_bytes(random.Random(1).randbytes(50_000))
    (corpus / "zero.txt").write_bytes(b"")
    seed = SEEDS[0].read_bytes()
    with open(corpus / "huge.txt", "wb") as f:  # 20 MB of real report text
        for _ in range(20 * 2**20 // len(seed)):
            f.write(seed)
        f.write(seed[: 20 * 2**20 % len(seed)])
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "loop-a.txt").symlink_to("loop-b.txt")
    (corpus / "loop-b.txt").symlink_to("loop-a.txt")
    (corpus / "dangling.html").symlink_to("gone.html")
    (corpus / "fake.pdf").write_bytes(b"%PDF-1.7\n" + random.Random(2).randbytes(4000))
    (corpus / "zip.docx").write_bytes(b"PK\x03\x04" + random.Random(4).randbytes(4000))


def failed_lines(stderr: str) -> dict[str, str]:
    return dict(line.removeprefix("failed: ").split(": ", 1) for line in stderr.splitlines()
                if line.startswith("failed: "))


def found(index_dir: Path, marker: str) -> list[str]:
    engine = Engine(index_dir)
    try:
        return [h["file"] for h in engine.search(SearchRequest(q=marker, sections=False)).hits]
    finally:
        engine.close()


def test_hostile_corpus(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    markers = good_files(corpus)
    bad_files(corpus)
    result = cli_build(corpus, index_dir, "--workers", "2", timeout=TIMEOUT)
    again = cli_build(corpus, index_dir, "--workers", "1", timeout=TIMEOUT)  # failures are retried: same answer
    assert (1, BAD, "") == (result.returncode, failed_lines(result.stderr),
                            "\n".join(line for line in result.stderr.splitlines() if not line.startswith("failed: ")))
    assert (1, BAD) == (again.returncode, failed_lines(again.stderr))
    assert set(markers) == report_ids(index_dir)
    assert {name: [name] for name in markers} == {name: found(index_dir, m) for name, m in markers.items()}
    record("files", {"good": sorted(markers), "rejected": BAD})


def test_file_renamed_while_the_build_runs(tmp_path):
    """Renamed after the build listed it and before it was read: listed as failed, the rest indexed; the next
    build indexes it under its new name."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for k, seed in enumerate(SEEDS):
        shutil.copy(seed, corpus / f"r{k}.txt")
    cmd = [os.sys.executable, "-m", "indexer.cli", "build", str(corpus), "--index-dir", str(index_dir), "--quiet",
           "--workers", "1"]
    proc = subprocess.Popen(cmd, env=dict(os.environ, **{PAUSE_ENV: "seeded:3"}), stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.strip() == "PAUSED seeded":
            (corpus / "r1.txt").rename(corpus / "renamed.txt")
            break
    rest = proc.stderr.read()
    proc.stderr.close()
    assert (1, {"r1.txt": "no such file"}) == (proc.wait(timeout=TIMEOUT), failed_lines(rest))
    assert {"r0.txt", "r2.txt", "r3.txt", "r4.txt"} == report_ids(index_dir)
    after = cli_build(corpus, index_dir, "--workers", "1", timeout=TIMEOUT)
    assert (0, "") == (after.returncode, after.stderr)
    assert {"r0.txt", "renamed.txt", "r2.txt", "r3.txt", "r4.txt"} == report_ids(index_dir)


def _as_nobody() -> dict:
    """subprocess arguments that run a command as an unprivileged user (root reads files whatever their mode)."""
    if os.geteuid() != 0:
        return {}
    return {"user": 65534, "group": 65534, "extra_groups": []}


def test_file_without_read_permission(tmp_path):
    """The build runs as an unprivileged user (``nobody`` when the tests run as root, as in CI)."""
    try:
        import pwd

        pwd.getpwuid(65534)
    except KeyError:
        pytest.skip("running as root and there is no unprivileged user 65534 to run the build as")
    if os.geteuid() == 0:
        try:
            subprocess.run([os.sys.executable, "-c", "import indexer.cli"], check=True, capture_output=True,
                           cwd="/", **_as_nobody())
        except (OSError, subprocess.CalledProcessError) as e:
            pytest.skip(f"running as root (reads any file) and user nobody cannot run this Python: {e}")
    base = Path(tempfile.mkdtemp(prefix="reliability-perm-"))  # outside tmp_path: pytest's tree is private to root
    try:
        base.chmod(0o755)
        corpus, index_dir = base / "corpus", base / "index"
        corpus.mkdir()
        shutil.copy(SEEDS[0], corpus / "open.txt")
        shutil.copy(SEEDS[1], corpus / "secret.txt")
        (corpus / "secret.txt").chmod(0)
        index_dir.mkdir()
        if os.geteuid() == 0:
            os.chown(index_dir, 65534, 65534)
        env = dict(os.environ, HOME=str(base), TMPDIR=str(base))
        result = cli_build(corpus, index_dir, "--workers", "1", env=env, timeout=TIMEOUT, **_as_nobody())
        assert (1, {"secret.txt": "permission denied"}) == (result.returncode, failed_lines(result.stderr))
        assert {"open.txt"} == report_ids(index_dir)
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# The readers on their own (fast): the reasons and the texts behind the corpus test


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path.name + ".other.txt")
    (path.parent / (path.name + ".other.txt")).symlink_to(path.name)


def _huge(path: Path) -> None:
    path.write_bytes(b"a" * 5_000_000)


def _long_html(path: Path) -> None:
    path.write_text("<html><body>" + "<p>" + "法" * 1_000_001 + "</p></body></html>", encoding="utf-8")


READ_ERRORS = [
    ("pipe.txt", _fifo, "not a regular file (a pipe, socket or device)"),
    ("loop.txt", _loop, "symbolic link loop"),
    ("huge.txt", _huge, "text too long for a report (5 MB, at most 1,000,000 characters)"),
    ("long.html", _long_html, "text too long for a report (1,000,001 characters, at most 1,000,000)"),
]


@pytest.mark.parametrize("name,make,reason", READ_ERRORS, ids=[c[0] for c in READ_ERRORS])
def test_read_errors(tmp_path, name, make, reason):
    from indexer.readers import ReadError, read_file

    make(tmp_path / name)
    with pytest.raises(ReadError) as info:
        read_file(tmp_path / name)
    assert reason == info.value.reason


@pytest.mark.parametrize("depth", [3, 99, 100, 101, 400, 3000])
def test_deeply_nested_html_keeps_its_lines(tmp_path, depth):
    """However deep the nesting (one more level per paragraph here), the text comes back line by line, without
    scripts and comments."""
    from indexer.readers import read_file

    lines = [f"第{k}段，执法检查。" for k in range(depth)]
    body = "".join(f"<div><p>{line}</p><script>var x = 1;</script><!-- 注释 -->" for line in lines)
    path = tmp_path / "deep.html"
    path.write_text(f"<html><body>{body}{'</div>' * depth}</body></html>", encoding="utf-8")
    assert lines == read_file(path).text.split("\n")


def test_docx_zip_bomb_is_refused_unopened(tmp_path):
    """A .docx of a few hundred KB whose document.xml unpacks to 200 MB is refused before python-docx parses it."""
    import zipfile

    from indexer.readers import ReadError, read_file

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"<w:p/>" * (2**20 // 6 + 1)
            for _ in range(200):
                member.write(chunk)
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert (True, "not a report: its XML unpacks to 200 MB (at most 100 MB)") == (
        path.stat().st_size < 2**20, info.value.reason)
