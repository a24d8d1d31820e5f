"""The analysis of one document: indicators agree with the kind of body the figure is attributed to."""

from __future__ import annotations

import pytest

from transforms.analyse import analyse


def _codes(text: str) -> dict[str, str | None]:
    return {r.metric.mention: r.indicator_code for r in analyse(text).records}


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


DISCIPLINE_QUARTER = "2023年第一季度，全市纪检监察机关共处置问题线索1080件，立案369件，同比上升12%。"


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        # "in the first quarter the city's discipline bodies handled 1,080 leads and opened 369 cases, up 12%"
        # (立案 alone, said by a discipline body, files discipline cases; its change follows)
        (DISCIPLINE_QUARTER, "369件", "discipline_cases_filed"),
        (DISCIPLINE_QUARTER, "12%", "discipline_cases_filed__yoy_pct"),
        # "the district court filed 16,455 cases" (a court's 立案 names no indicator of the catalog: none)
        ("区法院全年受理各类案件19809件，立案16455件。", "16455件", None),
    ],
)
def test_a_verb_alone_counts_what_its_body_counts_with_it(text: str, mention: str, expected: str | None) -> None:
    assert _codes(text)[mention] == expected
