"""Readers, plain text (indexer.readers.text): seed reports re-published as GBK/GB18030, UTF-8/16 with and
without BOM, Big5, damaged bytes and other newlines, read back."""

import pytest

from builders import to_traditional, write_big5, write_encoded, write_gbk
from indexer.readers import Document, read_file
from reader_helpers import SEEDS, seed


@pytest.mark.parametrize("n", range(5))
def test_utf8_seeds_read_as_is(n):
    assert Document(seed(n), "txt", "utf-8", {}) == read_file(SEEDS[n])


# (seed, encoding written, BOM, encoding reported). Seeds 000/004 hold NBSP / EM SPACE: not in GBK.
@pytest.mark.parametrize("n, encoding, bom, reported", [
    (1, "gbk", False, "gb18030"),
    (2, "gbk", False, "gb18030"),
    (3, "gbk", False, "gb18030"),
    (0, "gb18030", False, "gb18030"),
    (4, "gb18030", False, "gb18030"),
    (0, "utf-8", True, "utf-8"),
    (4, "utf-8", True, "utf-8"),
    (0, "utf-16-le", True, "utf-16-le"),
    (0, "utf-16-be", True, "utf-16-be"),
    (2, "utf-16-le", False, "utf-16-le"),
    (3, "utf-16-be", False, "utf-16-be"),
])
def test_txt_encodings(tmp_path, n, encoding, bom, reported):
    path = tmp_path / "report.txt"
    text = write_encoded(SEEDS[n], path, encoding, bom=bom)
    doc = read_file(path)
    assert (text, "txt", reported) == (doc.text, doc.format, doc.encoding)


@pytest.mark.parametrize("n, start, length", [(1, 0, 200), (2, 300, 200), (3, 1000, 200), (3, 0, 80), (2, 0, 3000)])
def test_short_gbk(tmp_path, n, start, length):
    path = tmp_path / "short.txt"
    text = write_gbk(seed(n)[start : start + length], path)
    doc = read_file(path)
    assert (text, "gb18030") == (doc.text, doc.encoding)


@pytest.mark.parametrize("n, start, length", [(1, 0, 600), (3, 0, 200), (2, 500, 200), (4, 200, 150)])
def test_big5_traditional(tmp_path, n, start, length):
    source = seed(n)[start : start + length].replace("\u2003", " ").replace("\xa0", " ")
    path = tmp_path / "big5.txt"
    text = write_big5(source, path)
    doc = read_file(path)
    assert (to_traditional(source), "big5") == (doc.text, doc.encoding)


@pytest.mark.parametrize("damage, encoding", [
    (lambda b: b[:-1], "utf-8"),  # a download cut inside the last character
    (lambda b: b[:100] + b"\xff" + b[100:], "utf-8"),
    (lambda b: b.decode("utf-8").encode("gbk")[:-1], "gb18030"),
])
def test_few_broken_bytes_still_read(tmp_path, damage, encoding):
    path = tmp_path / "damaged.txt"
    path.write_bytes(damage(seed(3).encode("utf-8")))
    doc = read_file(path)
    assert (encoding, True) == (doc.encoding, seed(3)[200:2000] in doc.text)
    assert 4 >= doc.text.count("\ufffd")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\f"])
def test_newlines_normalized(tmp_path, newline):
    path = tmp_path / "crlf.txt"
    path.write_bytes(seed(2).replace("\n", newline).encode("gbk"))
    assert seed(2) == read_file(path).text
