"""indexer.parse.dates: dates as reports write them → YYYY-MM-DD, and lines that are only a date."""

import pytest

from indexer.parse.dates import is_date_line, parse_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-02-22", "2022-02-22"),
        ("2022/2/22", "2022-02-22"),
        ("2022.02.22", "2022-02-22"),
        ("2022年2月22日", "2022-02-22"),
        ("2022 年 2 月 22 日", "2022-02-22"),
        ("1999年12月1日", "1999-12-01"),
        ("发布日期：2021-3-5 09:00", "2021-03-05"),
        ("二〇二二年三月一日", "2022-03-01"),
        ("二○二一年十二月三十一日", "2021-12-31"),
        ("二零二三年十月十日", "2023-10-10"),
        ("2022-02-30", None),  # no such day
        ("二〇二〇年二月三十日", None),
        ("2022年2月", None),  # a month is not a date
        ("２０２２－０２－０１", None),  # full width: the parser folds it first (clean's shadow)
        ("无日期", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text, expected):
    assert expected == parse_date(text)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("2022年2月22日", True),
        ("二〇二二年三月一日", True),
        ("（2022年2月22日）", True),
        ("【2022-02-22】", True),
        ("  2022-02-22  ", True),
        ("广州市公安局 2022年2月22日", False),
        ("2022年2月22日印发", False),
        ("全年办理案件1200宗", False),
    ],
)
def test_is_date_line(line, expected):
    assert expected == is_date_line(line)
