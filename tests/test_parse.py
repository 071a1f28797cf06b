"""indexer.parse on the five seed reports: every labelled field of tests/fixtures/truth.jsonl, exactly.

Comparison follows tests/fixtures/LABELS.md: headings on their first ten characters after NFKC width folding.
"""

import unicodedata

import pytest

from conftest import CORPUS, load_truth
from indexer.parse import parse_text

FIELDS = ("agency", "province", "city", "county", "level", "sector", "year", "publish_date", "doc_date")
TRUTH = load_truth()


def fold(heading: str) -> str:
    return unicodedata.normalize("NFKC", heading)[:10]


@pytest.fixture(scope="module")
def parsed() -> dict:
    return {t["file"]: parse_text((CORPUS / t["file"]).read_text(encoding="utf-8"), file=t["file"]) for t in TRUTH}


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_seed_metadata(parsed, label, field):
    assert label[field] == getattr(parsed[label["file"]], field)


@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_seed_level1_headings(parsed, label):
    got = [fold(s.heading) for s in parsed[label["file"]].sections if s.level == 1]
    assert [fold(h) for h in label["level1_headings"]] == got


@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_seed_level1_kinds(parsed, label):
    assert label["level1_kinds"] == [s.kinds for s in parsed[label["file"]].sections if s.level == 1]


@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_seed_level2_count(parsed, label):
    assert label["level2_count"] == sum(s.level == 2 for s in parsed[label["file"]].sections)


@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_seed_sections_are_a_tree_over_the_text(parsed, label):
    report = parsed[label["file"]]
    problems = []
    for i, s in enumerate(report.sections):
        if not report.text[s.start :].startswith(s.heading[:4]):
            problems.append((i, "heading not at start"))
        if not s.start < s.body_start <= s.end:
            problems.append((i, "offsets out of order"))
        if s.parent is not None:
            p = report.sections[s.parent]
            if not (p.level < s.level and p.start < s.start and s.end <= p.end):
                problems.append((i, "not inside its parent"))
        if s.level > 1 and s.kinds:
            problems.append((i, "kinds below level 1"))
    assert [] == problems


@pytest.mark.parametrize("label", TRUTH, ids=[t["file"][:3] for t in TRUTH])
def test_seed_clutter_removed(parsed, label):
    text = parsed[label["file"]].text
    clutter = ("当前位置", "手机版", "扫一扫", "回到顶部", "登录 | 注册", "【字体", "访问量", "点击数", "相关文件",
               "相关信息", "索 引 号", "发布机构", "![]()", "\n\n\n")
    assert [] == [c for c in clutter if c in text]
