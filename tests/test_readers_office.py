"""Readers, office documents (indexer.readers.office): seed reports as Word documents (typed and automatic
numbering) and PDFs, read back; how PDF lines broken by the page width are joined again."""

import re

import pytest

from builders import write_docx, write_pdf
from indexer.readers import read_file
from indexer.readers.office import PdfLine, join_pdf_lines
from reader_helpers import SEEDS, excerpt, nonempty


@pytest.mark.parametrize("n", [0, 2, 4])
def test_docx(tmp_path, n):
    path = tmp_path / "report.docx"
    text = write_docx(SEEDS[n], path, title="法治政府建设年度报告", table_rows=(("索引号", "001"), ("发布日期", "2023-03-31")))
    lines = nonempty(text)
    doc = read_file(path)
    assert [lines[0], "索引号 | 001", "发布日期 | 2023-03-31", *lines[1:]] == nonempty(doc.text)
    assert ("docx", None, {"title": "法治政府建设年度报告"}) == (doc.format, doc.encoding, doc.meta)


@pytest.mark.parametrize("n", [0, 2, 3])
def test_docx_automatic_numbering(tmp_path, n):
    """Headings numbered by Word (not typed) come back with their numbers: the parser needs them."""
    path = tmp_path / "numbered.docx"
    text = write_docx(SEEDS[n], path, auto_numbering=True)
    assert 2 <= len(re.findall(r"<w:numPr>", _document_xml(path)))
    assert [line.strip() for line in nonempty(text)] == [line.strip() for line in nonempty(read_file(path).text)]


def _document_xml(path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+、)")


@pytest.mark.parametrize("n, lines, gap", [(3, 8, False), (2, 8, False), (4, 12, False), (3, 8, True), (0, 14, True)])
def test_pdf(tmp_path, n, lines, gap):
    # characters STSong-Light has no glyph for (EM SPACE, NBSP, middle dot) cannot round-trip a PDF
    source = re.sub("[\u2003\xa0·]", "", excerpt(n, lines))
    path = tmp_path / "report.pdf"
    write_pdf(source, path, paragraph_gap=gap)
    doc = read_file(path)
    assert re.sub(r"\s", "", source) == re.sub(r"\s", "", doc.text)
    # every paragraph comes back as one line: page-width breaks joined, headings on their own line
    assert [re.sub(r"\s", "", p) for p in nonempty(source)] == [re.sub(r"\s", "", p) for p in nonempty(doc.text)]
    assert any(HEADING.match(p) for p in nonempty(doc.text))
    assert ("pdf", {}) == (doc.format, doc.meta)


def line(text, x0=72.0, x1=432.0, box=1):
    return PdfLine(text, x0, x1, 12.0, box)


@pytest.mark.parametrize("lines, expected", [
    # a full line without sentence end runs on; a line ending in 。 does not
    ([line("全市公安机关坚持以习近平法治思想为指导深入推进"), line("法治公安建设。", x1=156), line("下一段", x1=108)],
     "全市公安机关坚持以习近平法治思想为指导深入推进法治公安建设。\n下一段"),
    # a short heading stays apart from the next full line
    ([line("一、主要工作", x1=144), line("全市公安机关坚持以习近平法治思想为指导深入推进")],
     "一、主要工作\n全市公安机关坚持以习近平法治思想为指导深入推进"),
    # a full line is not joined to a heading or an indented paragraph
    ([line("全市公安机关坚持以习近平法治思想为指导深入推进"), line("（二）加强执法监督", x1=200),
      line("全市公安机关坚持以习近平法治思想为指导深入推进"), line("新的段落开始了", x0=96, x1=200)],
     "全市公安机关坚持以习近平法治思想为指导深入推进\n（二）加强执法监督\n"
     "全市公安机关坚持以习近平法治思想为指导深入推进\n新的段落开始了"),
    # right-aligned signature lines are not full lines; text boxes are kept apart by a blank line
    ([line("特此报告。", x1=132), line("某某市公安局", x0=360, box=2), line("2023年3月1日", x0=350, box=2)],
     "特此报告。\n\n某某市公安局\n2023年3月1日"),
    # a paragraph continued on the next page (another text box) is still joined
    ([line("全市公安机关坚持以习近平法治思想为指导深入推进", box=1), line("法治公安建设。", x1=156, box=2)],
     "全市公安机关坚持以习近平法治思想为指导深入推进法治公安建设。"),
])
def test_join_pdf_lines(lines, expected):
    assert expected == join_pdf_lines(lines)
