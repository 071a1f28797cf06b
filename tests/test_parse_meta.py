"""indexer.parse.meta: the work year a report is about, from its title, preamble, headings and dates."""

import pytest

from indexer.parse.meta import work_year


@pytest.mark.parametrize(
    "title, preamble, level1, dates, expected",
    [
        ("XX市公安局2021年法治政府建设年度报告", "", [], ["2022-02-01"], 2021),
        ("XX市公安局关于2022年度法治政府建设情况的报告", "2022年，我局…", [], ["2023-03-31"], 2022),
        ("XX市公安局2022年法治政府建设年度报告", "2021年，我局…", [], ["2022-01-15"], 2021),
        (None, "2023年，区公安分局坚持…", [], ["2024-02-22"], 2023),
        (None, "今年以来，全市刑事案件较2020年下降5%。2021年，我局全面推进。", [], [], 2021),
        (None, "今年以来，全市刑事案件较2020年下降5%。", [], ["2022-03-01"], 2021),
        (None, "根据《XX市2021年法治政府建设工作要点》（2021—2025年），现将有关情况报告如下：", ["2020年主要举措"], [], 2020),
        (None, "", [], ["2020-12-13"], 2020),
        (None, "", [], ["2021-03-02"], 2020),
        (None, "", [], [], None),
    ],
)
def test_work_year(title, preamble, level1, dates, expected):
    assert expected == work_year(title, preamble, level1, dates)
