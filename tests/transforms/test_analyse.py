"""The analysis of one document: indicators agree with the kind of body the figure is attributed to."""

from __future__ import annotations

import pytest

from transforms.analyse import analyse


def _codes(text: str) -> dict[str, str | None]:
    reading = analyse(text)
    return {m.mention: code for m, code in zip(reading.metrics, reading.codes, strict=True)}


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        # "criminal cases in the city police's area: 262": the police's count of criminal incidents
        ("市公安局通报，今年以来辖区刑事案件发案262起。", "262起", "criminal_incidents"),
        # "our 院 concluded 7018 cases … received 262 criminal cases": a court's caseload, not crime incidents
        (
            "2014年1至9月,我院共受理各类案件9471件,审执结各类案件7018件,执结执行案件1819件。"
            "刑事案件262件,同比下降2.60%。",
            "262件",
            None,
        ),
        # "the municipal political-legal committee: officers of all bodies rectified 71 persistent problems"
        ("市委政法委通报，全市政法干警整改顽瘴痼疾问题71个。", "71个", "stubborn_issues_rectified"),
    ],
    ids=["police_count", "court_caseload_is_not_police_count", "system_wide_indicator"],
)
def test_an_indicator_is_kept_only_for_a_body_that_reports_it(text: str, mention: str, expected: str | None) -> None:
    assert _codes(text)[mention] == expected
