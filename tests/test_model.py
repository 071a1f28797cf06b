from indexer.model import Report, Section


def make_report() -> Report:
    text = "前言\n一、总体\n（一）第一节\n正文\n二、问题\n"
    return Report(
        file="x.txt",
        text=text,
        sections=[
            Section(heading="一、总体", level=1, start=3, end=19, body_start=8, kinds=["举措成效"]),
            Section(heading="（一）第一节", level=2, start=8, end=19, body_start=15, parent=0),
            Section(heading="二、问题", level=1, start=19, end=24, body_start=24, kinds=["问题不足"]),
        ],
    )


def test_round_trip_through_dict():
    report = make_report()
    assert Report.from_dict(report.to_dict()) == report


def test_heading_path_walks_parents():
    report = make_report()
    assert report.heading_path(1) == ["一、总体", "（一）第一节"]
    assert report.heading_path(2) == ["二、问题"]


def test_to_dict_is_asdict_and_shares_no_container_with_the_report(corpus_dir):
    """``Report.to_dict`` gives ``dataclasses.asdict``'s dicts for the seeds and the made-up report; changing what
    it gave changes nothing in the report."""
    from dataclasses import asdict

    from indexer.parse import parse_file

    reports = [make_report()] + [parse_file(p, root=corpus_dir) for p in sorted(corpus_dir.glob("*.txt"))]
    for report in reports:
        assert report.to_dict() == asdict(report)
    report = reports[-1]
    before = asdict(report)
    out = report.to_dict()
    out["sections"][0]["kinds"].append("x")
    out["sections"].clear()
    for value in out["evidence"].values():
        value.clear()
    assert asdict(report) == before
