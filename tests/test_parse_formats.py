"""indexer.parse.parse_file over the same seed published as GB18030 text, an HTML page, Word and PDF:
the metadata and structure must match the labels of the UTF-8 seed."""

import unicodedata

import pytest

import builders
from conftest import CORPUS, load_truth
from indexer.parse import parse_file

TRUTH = load_truth()
FIELDS = ("agency", "province", "city", "county", "level", "sector", "year", "publish_date", "doc_date")
FORMATS = {
    "gb18030.txt": lambda src, dst: builders.write_encoded(src, dst, "gb18030"),
    "utf16.txt": lambda src, dst: builders.write_encoded(src, dst, "utf-16-le", bom=True),
    "html": lambda src, dst: builders.write_html(src, dst),
    "docx": lambda src, dst: builders.write_docx(src, dst),
    "auto-numbered.docx": lambda src, dst: builders.write_docx(src, dst, auto_numbering=True),
    "pdf": lambda src, dst: builders.write_pdf(src, dst),
}


def summary(report) -> dict:
    level1 = [s for s in report.sections if s.level == 1]
    return {
        **{f: getattr(report, f) for f in FIELDS},
        "level1_headings": [unicodedata.normalize("NFKC", s.heading)[:10] for s in level1],
        "level1_kinds": [s.kinds for s in level1],
        "level2_count": sum(s.level == 2 for s in report.sections),
    }


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_formats_give_the_seed_labels(tmp_path, label, fmt):
    dst = tmp_path / f"report.{fmt}"
    FORMATS[fmt](CORPUS / label["file"], dst)
    expected = {f: label[f] for f in FIELDS}
    expected["level1_headings"] = [unicodedata.normalize("NFKC", h)[:10] for h in label["level1_headings"]]
    expected["level1_kinds"] = label["level1_kinds"]
    expected["level2_count"] = label["level2_count"]
    assert expected == summary(parse_file(dst))


def test_parse_file_id_is_relative_to_root(tmp_path):
    (tmp_path / "2021").mkdir()
    path = tmp_path / "2021" / "report.txt"
    path.write_text((CORPUS / TRUTH[0]["file"]).read_text(encoding="utf-8"), encoding="utf-8")
    assert ("2021/report.txt", str(path)) == (parse_file(path, root=tmp_path).file, parse_file(path).file)


def test_html_page_hints_fill_what_the_text_lacks(tmp_path):
    seed = next(t for t in TRUTH if t["publish_date"] is None and t["doc_date"] is None)
    dst = tmp_path / "page.html"
    builders.write_html(CORPUS / seed["file"], dst, title="年度报告_门户网站", pub_date="2021-02-03",
                        url="http://example.gov.cn/a.html")
    report = parse_file(dst)
    assert ("2021-02-03", "http://example.gov.cn/a.html", seed["agency"]) == (
        report.publish_date, report.source_url, report.agency)
