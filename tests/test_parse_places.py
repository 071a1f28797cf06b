"""indexer.parse.places: place names in agency strings → province / prefecture / county labels."""

import pytest

from indexer.parse.places import (
    context_counts, context_weights, county_stems, gazetteer, prefecture_label, province_label, resolve,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("杭州市公安局萧山区分局", ("浙江", "杭州", "萧山区", 3)),
        ("市公安局萧山区分局", ("浙江", "杭州", "萧山区", 3)),
        ("萧山公安分局", ("浙江", "杭州", "萧山区", 3)),
        ("开平市公安局", ("广东", "江门", "开平市", 3)),
        ("慈溪市公安局", ("浙江", "宁波", "慈溪市", 3)),
        ("上海市公安局", ("上海", None, None, 1)),
        ("重庆市公安局渝北区分局", ("重庆", "重庆", "渝北区", 3)),
        ("北京市公安局朝阳分局", ("北京", "北京", "朝阳区", 3)),
        ("四平市公安局铁西分局", ("吉林", "四平", "铁西区", 3)),
        ("吉林省公安厅", ("吉林", None, None, 1)),
        ("吉林市公安局", ("吉林", "吉林", None, 2)),
        ("内蒙古自治区公安厅", ("内蒙古", None, None, 1)),
        ("广西壮族自治区司法厅", ("广西", None, None, 1)),
        ("新疆公安厅", ("新疆", None, None, 1)),
        ("延边朝鲜族自治州公安局", ("吉林", "延边", None, 2)),
        ("延边州公安局", ("吉林", "延边", None, 2)),
        ("乳源县公安局", ("广东", "韶关", "乳源瑶族自治县", 3)),
        ("公安县公安局", ("湖北", "荆州", "公安县", 3)),
        ("东莞市公安局", ("广东", "东莞", None, 2)),
        ("仙桃市公安局", ("湖北", None, "仙桃市", 3)),
        ("杭州市公安局江干区分局", ("浙江", "杭州", "江干区", 3)),
        ("郑州市公安局城东分局", ("河南", "郑州", None, 2)),  # 城东区 is in 西宁: the full name wins
        ("西宁市公安局城东分局", ("青海", "西宁", "城东区", 3)),
        ("某某单位", None),
    ],
)
def test_resolve(text, expected):
    div = resolve(text)
    assert expected == (div and (div.province, div.city, div.county, div.rank))


@pytest.mark.parametrize(
    "text, context, expected",
    [
        # Same-named districts: the prefecture named elsewhere in the report decides.
        ("朝阳区公安分局", "长春市朝阳区人民政府", ("吉林", "长春", "朝阳区")),
        ("朝阳区公安分局", "北京市朝阳区人民政府", ("北京", "北京", "朝阳区")),
        ("南山分局", "鹤岗市公安局", ("黑龙江", "鹤岗", "南山区")),
        ("南山分局", "深圳市公安局", ("广东", "深圳", "南山区")),
    ],
)
def test_resolve_with_context(text, context, expected):
    div = resolve(text, context)
    assert expected == (div.province, div.city, div.county)


@pytest.mark.parametrize(
    "name, expected",
    [("广东省", "广东"), ("内蒙古自治区", "内蒙古"), ("广西壮族自治区", "广西"), ("宁夏回族自治区", "宁夏"),
     ("新疆维吾尔自治区", "新疆"), ("西藏自治区", "西藏"), ("上海市", "上海")],
)
def test_province_label(name, expected):
    assert expected == province_label(name)


@pytest.mark.parametrize(
    "name, expected",
    [("杭州市", "杭州"), ("延边朝鲜族自治州", "延边"), ("黔西南布依族苗族自治州", "黔西南"),
     ("博尔塔拉蒙古自治州", "博尔塔拉"), ("阿克苏地区", "阿克苏"), ("兴安盟", "兴安")],
)
def test_prefecture_label(name, expected):
    assert expected == prefecture_label(name)


@pytest.mark.parametrize(
    "name, expected",
    [("萧山区", ["萧山"]), ("开平市", ["开平"]), ("乳源瑶族自治县", ["乳源", "乳源县"]), ("公安县", []),
     ("浦东新区", ["浦东"]), ("城区", [])],
)
def test_county_stems(name, expected):
    assert expected == county_stems(name)


def test_gazetteer_skips_towns_and_zones():
    aliases = gazetteer().aliases
    assert [] == [name for name in ("长安镇", "东城街道", "石家庄高新技术产业开发区") if name in aliases]


def _mentions_one_char_at_a_time(text):
    """The plain leftmost-longest scan ``Gazetteer.mentions`` must agree with: every position, longest first."""
    gaz = gazetteer()
    found, i = [], 0
    while i < len(text):
        for n in range(min(gaz.max_len, len(text) - i), 0, -1):
            if text[i : i + n] in gaz.aliases:
                found.append((i, i + n, text[i : i + n]))
                i += n
                break
        else:
            i += 1
    return found


@pytest.mark.parametrize(
    "text",
    [
        "",
        "杭",
        "杭州",
        "杭州市公安局萧山区分局",
        "浙江省杭州市萧山区人民政府和内蒙古自治区公安厅，延边朝鲜族自治州、乳源县",
        "……在杭州",  # a name at the very end
        "在乳源瑶族自治",  # a long name cut short at the end: the shorter name inside it still counts
        "浦东新区浦东新广州市广州",
        "公安县公安局，市辖区，城区",
    ],
)
def test_mentions_leftmost_longest(text):
    found = [(m.start, m.end, m.text) for m in gazetteer().mentions(text)]
    assert _mentions_one_char_at_a_time(text) == found


def test_mentions_agrees_with_the_plain_scan_on_mixed_text():
    import random

    gaz = gazetteer()
    names = sorted(gaz.aliases)
    rng = random.Random(7)
    filler = "的了在和市区县省公安局。，1a "
    for _ in range(200):
        parts = []
        for _ in range(rng.randint(1, 12)):
            name = rng.choice(names)
            parts.append(name[: rng.randint(1, len(name))] if rng.random() < 0.3 else name)
            parts.append("".join(rng.choice(filler) for _ in range(rng.randint(0, 3))))
        text = "".join(parts)
        assert _mentions_one_char_at_a_time(text) == [(m.start, m.end, m.text) for m in gaz.mentions(text)]


def test_context_counts_is_both_context_weights():
    text = "杭州市公安局萧山区分局、浙江省司法厅、江门市开平市，萧山区，杭州市"
    weights, direct = context_counts(text)
    assert (context_weights(text), context_weights(text, propagate=False)) == (weights, direct)
    assert direct["330109"] == 2 and weights["3301"] == 4  # 萧山区 twice; 杭州市 twice and through 萧山区
