"""search.filters: typed filter values → the values an index holds (no index needed: lists of held values)."""

import pytest

from search.filters import FilterError, resolve_value

PROVINCES = ["广东", "广西", "内蒙古", "吉林", "浙江", "北京"]
CITIES = ["杭州", "延边", "阿克苏", "兴安", "四平"]
COUNTIES = ["萧山区", "开平市", "乳源瑶族自治县", "朝阳区", "朝阳县"]
AGENCIES = ["四平市公安局", "杭州市公安局萧山区分局", "广州市公安局", "广州市司法局"]


@pytest.mark.parametrize("name, typed, held, expected", [
    ("province", "广东", PROVINCES, "广东"),
    ("province", "广东省", PROVINCES, "广东"),
    ("province", "廣東省", PROVINCES, "广东"),
    ("province", "广西壮族自治区", PROVINCES, "广西"),
    ("province", "内蒙古自治区", PROVINCES, "内蒙古"),
    ("province", "北京市", PROVINCES, "北京"),
    ("city", "杭州市", CITIES, "杭州"),
    ("city", "延边朝鲜族自治州", CITIES, "延边"),
    ("city", "阿克苏地区", CITIES, "阿克苏"),
    ("city", "兴安盟", CITIES, "兴安"),
    ("county", "萧山", COUNTIES, "萧山区"),
    ("county", "开平", COUNTIES, "开平市"),
    ("county", "乳源", COUNTIES, "乳源瑶族自治县"),
    ("county", "朝阳县", COUNTIES, "朝阳县"),
    ("agency", "四平", AGENCIES, "四平市公安局"),
    ("agency", "萧山区分局", AGENCIES, "杭州市公安局萧山区分局"),
    ("agency", "广州市司法", AGENCIES, "广州市司法局"),
    ("kind", "问题不足", ["举措成效", "问题不足"], "问题不足"),
    ("level", "CITY", ["city", "district"], "city"),
])
def test_a_typed_value_resolves_to_the_held_value(name, typed, held, expected):
    assert expected == resolve_value(name, typed, held)


@pytest.mark.parametrize("name, typed, held, close, ambiguous, every", [
    ("province", "广州省", PROVINCES, ["广西", "广东"], False, False),
    ("county", "朝阳", COUNTIES, ["朝阳区", "朝阳县"], True, False),
    ("agency", "广州", AGENCIES, ["广州市公安局", "广州市司法局"], True, False),
    ("agency", "上海市公安局", AGENCIES, ["广州市公安局", "四平市公安局", "杭州市公安局萧山区分局", "广州市司法局"],
     False, False),
    ("province", "东", PROVINCES, ["广东"], False, False),  # one character is no place name: only close to one
    ("level", "bogus", ["city", "district"], ["city", "district"], False, True),
])
def test_an_unknown_or_ambiguous_value_raises_with_what_to_type(name, typed, held, close, ambiguous, every):
    with pytest.raises(FilterError) as e:
        resolve_value(name, typed, held)
    assert (name, typed, close, ambiguous, every) == (e.value.field, e.value.value, e.value.close, e.value.ambiguous,
                                                      e.value.every)
