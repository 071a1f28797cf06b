"""Readers (indexer.readers): the supported file types, and what any file gives: a Document with text or a
ReadError with a reason (one case per way a file can fail)."""

import os

import pytest

from builders import write_pdf
from indexer.readers import SUPPORTED_SUFFIXES, ReadError, read_file
from reader_helpers import excerpt


def test_supported_suffixes():
    assert (".txt", ".html", ".htm", ".docx", ".pdf", ".doc") == SUPPORTED_SUFFIXES


def _blank_pdf(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 300, fill=1)  # an image-like page: no text layer
    c.showPage()
    c.save()


def _cut_pdf(path) -> bytes:
    """A real report pdf cut off halfway (an interrupted download)."""
    write_pdf(excerpt(3, 8), path)
    data = path.read_bytes()
    return data[: len(data) // 2]


def _empty_docx(path):
    import docx

    docx.Document().save(str(path))


ERROR_CASES = [
    ("report.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0 table"), "unsupported file type .xls"),
    ("README", lambda p: p.write_text("text", encoding="utf-8"), "unsupported file type (no suffix)"),
    ("empty.txt", lambda p: p.write_bytes(b""), "empty file"),
    ("blank.txt", lambda p: p.write_bytes(b"  \r\n\n\t \n"), "empty file"),
    ("bom-only.txt", lambda p: p.write_bytes(b"\xef\xbb\xbf\n"), "no text found"),
    ("image.txt", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "not a text file (binary content)"),
    ("controls.txt", lambda p: p.write_bytes(bytes(range(1, 32)) * 50), "not a text file (binary content)"),
    ("garbled.txt", lambda p: p.write_bytes(b"\x80\xff" * 400),
     "undecodable text (tried utf-8, gb18030, utf-16, big5)"),
    ("bad-bom.txt", lambda p: p.write_bytes(b"\xef\xbb\xbf" + "报告".encode("gbk")), "undecodable text (not valid utf-8)"),
    ("fake.docx", lambda p: p.write_text("not a zip", encoding="utf-8"), "not a valid .docx file (damaged, or an old .doc renamed?)"),
    ("empty.docx", _empty_docx, "no text found"),
    ("fake.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n garbage"), "not a valid .pdf file (damaged?)"),
    ("cut.pdf", lambda p: p.write_bytes(_cut_pdf(p)), "not a valid .pdf file (damaged?)"),
    ("ole.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),
     "not a valid .docx file (damaged, or an old .doc renamed?)"),
    ("scanned.pdf", _blank_pdf, "pdf has no text layer (scanned?)"),
    ("menu.html", lambda p: p.write_text("<html><body><nav><a href='/'>首页</a></nav><script>x=1</script></body></html>",
                                         encoding="utf-8"), "no text found"),
    ("folder.txt", lambda p: p.mkdir(), "is a directory"),
    ("missing.txt", lambda p: None, "no such file"),
    ("dangling.txt", lambda p: p.symlink_to(p.parent / "gone.txt"), "broken symbolic link"),
]


@pytest.mark.parametrize("name, make, reason", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_read_errors(tmp_path, name, make, reason):
    path = tmp_path / name
    make(path)
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert (str(path), reason, f"{path}: {reason}") == (info.value.path, info.value.reason, str(info.value))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_permission_denied(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("报告", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert "permission denied" == info.value.reason


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_any_bytes_give_a_document_or_a_read_error(tmp_path, suffix):
    """Never a traceback, never a blank Document: whatever the bytes, a Document with text or a ReadError."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.binary(max_size=2000) | st.text(max_size=300).map(lambda s: s.encode("utf-8")))
    def check(data):
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            doc = read_file(path)
        except ReadError as e:
            assert (str(path), True) == (e.path, bool(e.reason))
        else:
            assert (True, suffix.lstrip(".")[:3]) == (bool(doc.text.strip()), doc.format[:3])

    check()
