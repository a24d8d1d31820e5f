"""The explorer's heatmaps show one figure per cell, never a sum of rates or of overlapping scopes."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from warehouse.explorer_page import indicator_chart


def _cells(html: str) -> list[list[str]]:
    """The text of every heatmap cell, read from the plotly figure embedded in the chart's HTML."""
    found = re.search(r'"text":(\[\[.*?\]\])', html)
    assert found is not None
    return json.loads(found.group(1))


def _row(region: str | None, org: str | None, code: str, latest: str, total: str | None, **extra: object) -> dict:
    return {
        "region": region,
        "org": org,
        "indicator_code": code,
        "indicator_name_zh": code,
        "unit_family": "percent",
        "latest_value": Decimal(latest),
        "value_sum": None if total is None else Decimal(total),
        "value_min": Decimal(latest),
        "value_max": Decimal(latest),
        "mention_count": 2,
        "document_count": 2,
        **extra,
    }


def test_a_rate_cell_shows_the_latest_figure_not_the_sum() -> None:
    # 全国 结案率 reported as 68.17% and 70.28%: the cell must read 70.28, never 138.45
    html = indicator_chart([_row("全国", None, "case_closure_rate", "70.28", "138.45")], "region", "c", "Region")
    assert _cells(html) == [["70.28"]]
    assert "138.45" not in html


def test_counts_of_overlapping_scopes_are_not_added() -> None:
    # a district court (120 cases) and all courts of the city (1379 cases) in one region
    html = indicator_chart([_row("株洲市", None, "cases_new", "1379", "1499")], "region", "c", "Region")
    assert _cells(html) == [["1379"]]
    assert "1499" not in html


def test_figures_without_organisation_keep_apart_by_region() -> None:
    rows = [
        _row("甘肃省", None, "political_legal_officers", "458", "458"),
        _row(None, None, "political_legal_officers", "2700000", "2700000"),
    ]
    html = indicator_chart(rows, "org", "c", "Organisation")
    assert sorted(_cells(html)) == [["2700000"], ["458"]]
    assert "no organisation · 甘肃省" in html and "no organisation · no region" in html
