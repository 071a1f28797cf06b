"""indexer.parse.address: a page's address → the divisions and the agency type its host names, for every
prefecture-level host form the dataset can build; same-sounding prefectures are reported as open, never
guessed, and settled by the province the text names."""

from collections import Counter, defaultdict

import pytest

from indexer.parse import clues, places
from indexer.parse.address import find_url, host_label, host_of, match_host, settle

PREFECTURES = [d for d in places.gazetteer().by_code.values() if d.rank == 2]


def names(match):
    return [d.name for d in match.divisions]


@pytest.mark.parametrize("url, divisions, kind", [
    ("http://www.yuyao.gov.cn/art/2024/1/2/art_1.html", ["余姚市"], None),
    ("https://police.ningbo.gov.cn/x", ["宁波市"], "公安局"),
    ("gat.zj.gov.cn", ["浙江省"], "公安厅"),
    ("http://gaj.sz.gov.cn/", ["深圳市"], "公安局"),
    ("http://sft.hubei.gov.cn/zwgk", ["湖北省"], "司法厅"),
    ("http://scjg.cixi.gov.cn", ["慈溪市"], "市场监督管理局"),
    ("http://gaj.fuzhou.gov.cn", ["福州市", "抚州市"], "公安局"),
    ("http://example.com/a", [], None),
])
def test_host_labels(url, divisions, kind):
    match = match_host(url)
    assert (sorted(divisions), kind) == (sorted(names(match)), match.kind)


def test_a_lower_label_lies_inside_the_higher_one():
    assert ["鼓楼区"] == names(match_host("http://gulou.fuzhou.gov.cn"))  # 福州's of the four 鼓楼区


FORMS = ("gaj.{city}.gov.cn", "police.{city}.gov.cn", "www.{city}.gov.cn", "{city}.gov.cn",
         "gaj.{city}.{province}.gov.cn")


@pytest.mark.parametrize("form", FORMS)
def test_every_prefecture_host_names_its_prefecture_or_is_reported_open(form):
    """Each host form for each prefecture: settled to it, or left open with a note naming it (when another
    prefecture sounds the same) — and settled to it once the text names its province. With the province's
    label in the host, every one is settled."""
    gaz = places.gazetteer()
    fits = lambda d: clues.fits("市", d)  # noqa: E731
    wrong, open_hosts = [], set()
    for d in PREFECTURES:
        host = form.format(city=host_label(d), province=host_label(gaz.by_code[d.parent]))
        got, note = settle(match_host(host), fits, Counter())
        if got is None and note and d.name in note:
            open_hosts.add(host)
            got, _ = settle(match_host(host), fits, Counter({d.parent: 1}))
        if got is None or got.code != d.code:
            wrong.append((host, d.name, got and got.name, note))
    by_label = defaultdict(list)
    for d in PREFECTURES:
        by_label[host_label(d)].append(d.name)
    shared = {form.format(city=label, province="") for label, same in by_label.items() if len(same) > 1}
    assert [] == wrong
    if "{province}" in form:
        assert set() == open_hosts
    else:  # open: prefectures that sound alike, and prefectures that sound like a county-level city (锦州 / 晋州市)
        assert shared <= open_hosts and form.format(city="fuzhou", province="") in shared


def test_find_url_in_text():
    assert "http://gaj.yichang.gov.cn/a.html" == find_url("标题\n来源：http://gaj.yichang.gov.cn/a.html\n正文")
    assert "www.jiujiang.gov.cn/zwgk/1.html" == find_url("首页\nwww.jiujiang.gov.cn/zwgk/1.html\n正文")
    assert None is find_url("没有网址的报告。邮箱 a@b.cn")
    assert ("gaj.ganzhou.gov.cn", None) == (host_of("gaj.ganzhou.gov.cn/x"), host_of(""))
