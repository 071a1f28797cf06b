"""Indexer stage 1 (readers), office: .docx (python-docx) and text-based .pdf (pdfminer.six) → text.

docx: paragraphs and tables in body order, a table row as one " | "-joined line.
pdf: the text layer, without page-number lines, with lines the PDF broke mid-sentence joined again (Chinese
has no spaces between words, so they are joined without one); headings stay on their own lines.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from indexer.readers.docx_numbering import ListNumbers
from indexer.readers.text import Document, ReadError, normalize_newlines

# pdfminer logs every odd font or object at WARNING; a report reader has nothing to do with those.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


# The XML a .docx unpacks to (pictures aside). A report's is a few MB; a "zip bomb" of a few hundred KB can
# declare gigabytes, which python-docx would parse into memory.
MAX_DOCX_XML_BYTES = 100 * 2**20


def read_docx(data: bytes, path) -> Document:
    import docx
    from docx.table import Table

    _check_unpacked_size(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
        numbers = ListNumbers(document)
        lines = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_lines(block))
            else:
                lines.append(numbers.label(block) + block.text)
        props = document.core_properties
        title = props.title
    except MemoryError:
        raise  # the worker's memory limit (indexer.build.worker): not a damaged file
    except Exception as e:  # python-docx raises many kinds (BadZipFile, PackageNotFoundError, KeyError, XML...)
        raise ReadError(path, "not a valid .docx file (damaged, or an old .doc renamed?)") from e
    meta = {}  # core "created" is left out: it is the template's or the author's date, not publication
    if title and title.strip():
        meta["title"] = title.strip()
    return Document(normalize_newlines("\n".join(lines)), "docx", None, meta)


def _check_unpacked_size(data: bytes, path) -> None:
    """Refuse a .docx whose XML parts declare more than MAX_DOCX_XML_BYTES (zipfile never inflates a member
    past its declared size: a lying header fails its CRC check instead)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(i.file_size for i in archive.infolist() if i.filename.endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # python-docx says it is not a valid .docx
    if size > MAX_DOCX_XML_BYTES:
        raise ReadError(path, f"not a report: its XML unpacks to {size / 2**20:.0f} MB "
                              f"(at most {MAX_DOCX_XML_BYTES // 2**20} MB)")


def _docx_table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:  # a merged cell is repeated once per grid column it spans
            if cell._tc is not previous:
                cells.append(" ".join(cell.text.split("\n")).strip())
            previous = cell._tc
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def read_pdf(data: bytes, path) -> Document:
    try:
        lines = _pdf_lines(data)
    except MemoryError:
        raise  # the worker's memory limit (indexer.build.worker): not a damaged file
    except Exception as e:  # PDFSyntaxError, PSEOF, encrypted documents, ...
        if "Password" in type(e).__name__ or "Encrypt" in type(e).__name__:
            raise ReadError(path, "pdf is encrypted (password required)") from None
        raise ReadError(path, "not a valid .pdf file (damaged?)") from e
    text = normalize_newlines(join_pdf_lines(lines))
    if not text.strip():
        raise ReadError(path, "pdf has no text layer (scanned?)")
    return Document(text, "pdf", None, {})


@dataclass
class PdfLine:
    text: str
    x0: float  # left edge, in points
    x1: float  # right edge
    size: float  # line height ≈ character size
    box: int  # the text box (pdfminer's paragraph guess) it belongs to


def _pdf_lines(data: bytes) -> list[PdfLine]:
    """Text lines in reading order, with their horizontal extent; page-number lines left out."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine

    lines, box = [], 0
    for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
        for element in page:
            if not isinstance(element, LTTextBox):
                continue
            box += 1
            for line in element:
                text = line.get_text().rstrip("\n")
                text = _LETTER_SPACED.sub(lambda m: m.group().replace(" ", ""), text)
                if isinstance(line, LTTextLine) and text.strip() and not _PAGE_NUMBER.match(text):
                    lines.append(PdfLine(text, line.x0, line.x1, line.height, box))
    return lines


# Justified lines spread their characters; pdfminer then reads a space between each: "2 0 2 0 年 , 全 市".
_LETTER_SPACED = re.compile(r"(?=(?:\S )*[\u3400-\u9fff])(?:\S ){3,}\S")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,3}|[-—–－]?\s*[IVXLivxl]{1,6}\s*[-—–－]?)\s*$"
)
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]|\d{1,2}\s*[、.．](?!\d)"
    r"|[（(]\s*\d{1,2}\s*[)）]|[①-⑳]|第[一二三四五六七八九十百\d]+[章节部分条]|[一二三四五六七八九十]+是)"
)
_END = tuple("。！？；：!?;:")


def join_pdf_lines(lines: list[PdfLine]) -> str:
    """Rejoin lines the page width broke, without a space (Chinese has none between words).

    A line runs on into the next when it is a full line (from the left margin, or a paragraph indent, to
    the right margin) and the next line neither starts a heading nor is indented as a new paragraph. Where
    paragraphs are not marked by indents, a full line ending a sentence (。；：！？) also ends the paragraph.
    Headings, titles, centred or right-aligned lines (signatures) are never full lines, so they stay on
    their own. Lines not joined that belong to different text boxes are separated by a blank line.
    """
    if not lines:
        return ""
    left = _percentile([ln.x0 for ln in lines], 0.1)
    right = _percentile([ln.x1 for ln in lines], 0.9)
    # a first-line indent is one to four characters; centred and right-aligned lines start further in
    indents = sum(ln.size < ln.x0 - left < 4 * ln.size for ln in lines)
    uses_indents = indents >= max(2, len(lines) // 30)
    out: list[str] = []
    previous = None
    for line in lines:
        new_paragraph = _HEADING.match(line.text) or line.x0 > left + line.size or line.text[:1].isspace()
        ended = not uses_indents and previous and previous.text.rstrip().endswith(_END)
        if previous and _is_full(previous, left, right) and not new_paragraph and not ended:
            out[-1] += line.text.strip()
        else:
            if previous and previous.box != line.box:
                out.append("")
            out.append(line.text.rstrip())
        previous = line
    return "\n".join(out)


def _is_full(line: PdfLine, left: float, right: float) -> bool:
    """Starts at the margin or a paragraph indent, reaches (nearly: ragged text) the right margin."""
    return line.x0 <= left + 2.5 * line.size and line.x1 >= right - 2 * line.size


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[round(q * (len(values) - 1))]
