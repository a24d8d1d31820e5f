"""The explorer renderer: marks at exact spans, escaping, overlapping spans, empty data, the entry page and a document
page, filters, capped tables, markdown."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import plotly.offline

from warehouse.explorer_page import (
    CHART_IDS,
    DocumentEntry,
    DocumentText,
    ExplorerData,
    highlighted_text,
    page_name,
    plan_highlights,
    render_document,
    render_explorer,
    summary_markdown,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TEXT = "全区458名政法干警,结案率69.11%。"  # "458 political-legal officers in the district, closure rate 69.11%."
RATE = (TEXT.index("69.11%"), TEXT.index("69.11%") + 6)


def _metric(start: int, end: int, text: str = TEXT, **extra: Any) -> dict[str, Any]:
    return {
        "metric_id": f"h:{start}:{end}",
        "doc_id": "doc",
        "content_hash": "h",
        "start_offset": start,
        "end_offset": end,
        "mention": text[start:end],
        "value": Decimal("458.000000"),
        "unit": "名",
        "kind": "count",
        "approx": None,
        "subject": "政法干警",
        "indicator_code": "political_legal_officers",
        "indicator_name_zh": "政法干警",
        "org": "石峰区政法各单位",
        "region": "湖南省株洲市石峰区",
        "period_start": date(2021, 1, 1),
        "period_end": date(2021, 12, 31),
        "as_of": None,
        **extra,
    }


class _Marks(HTMLParser):
    """Each <mark>'s attributes and text, and every element id, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self._open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "mark":
            self._open = {**attributes, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._open is not None:
            self.marks.append(self._open)
            self._open = None


def _parse(page: str) -> _Marks:
    parser = _Marks()
    parser.feed(page)
    return parser


def _visible_text(fragment: str) -> str:
    parser = HTMLParser(convert_charrefs=True)
    chunks: list[str] = []
    parser.handle_data = chunks.append  # type: ignore[method-assign]
    parser.feed(fragment)
    return "".join(chunks)


def test_marks_wrap_exactly_the_metric_spans_with_their_attributes() -> None:
    officers, rate = _metric(2, 6), _metric(*RATE, value=Decimal("69.11"), unit="%", kind="percent")
    fragment = highlighted_text(TEXT, plan_highlights(TEXT, [rate, officers]).kept)
    marks = _parse(fragment).marks
    assert [(m["data-start"], m["data-end"], m["text"]) for m in marks] == [
        ("2", "6", "458名"),
        (str(RATE[0]), str(RATE[1]), "69.11%"),
    ]
    assert marks[0]["data-value"] == "458" and marks[1]["data-value"] == "69.11"
    assert marks[0]["data-period"] == "2021-01-01 – 2021-12-31"
    assert marks[0]["data-indicator"] == "political_legal_officers"
    assert marks[0]["data-org"] == "石峰区政法各单位" and marks[0]["data-region"] == "湖南省株洲市石峰区"
    assert _visible_text(fragment) == TEXT  # highlighting never changes the text


def test_text_and_attributes_are_escaped() -> None:
    text = '<script>alert("x")</script> & 5名 “民警”'
    start = text.index("5名")
    metric = _metric(start, start + 2, text, subject='"><img src=x onerror=alert(1)>', org="A & B <org>")
    fragment = highlighted_text(text, [metric])
    assert "<script>" not in fragment and "<img" not in fragment
    assert "&lt;script&gt;" in fragment and "&amp;" in fragment
    mark = _parse(fragment).marks[0]
    assert mark["data-subject"] == '"><img src=x onerror=alert(1)>' and mark["data-org"] == "A & B <org>"
    assert _visible_text(fragment) == text


def test_nested_and_crossing_spans_keep_the_first_and_list_the_others() -> None:
    outer, inner, crossing, later = _metric(2, 6), _metric(2, 5), _metric(4, 9), _metric(*RATE)
    plan = plan_highlights(TEXT, [inner, later, crossing, outer])
    assert [m["metric_id"] for m in plan.kept] == ["h:2:6", "h:{}:{}".format(*RATE)]
    assert {m["metric_id"] for m, _ in plan.skipped} == {"h:2:5", "h:4:9"}
    assert all("overlaps 458名" in reason for _, reason in plan.skipped)
    assert _visible_text(highlighted_text(TEXT, plan.kept)) == TEXT


def test_spans_outside_the_text_or_not_matching_the_mention_are_not_highlighted() -> None:
    plan = plan_highlights(TEXT, [_metric(2, 6, mention="459名"), _metric(20, 99, mention="x"), _metric(6, 6)])
    assert plan.kept == []
    reasons = [reason for _, reason in plan.skipped]
    assert any("not the mention" in r for r in reasons) and sum("outside the text" in r for r in reasons) == 2


def _metrics() -> list[dict[str, Any]]:
    return [_metric(2, 6), _metric(*RATE, indicator_code=None, indicator_name_zh=None, region=None)]


def _data(**overrides: Any) -> ExplorerData:
    base: dict[str, Any] = {
        "warehouse": "/w/metrics.duckdb",
        "generated_at": NOW,
        "run": {"run_id": "r1", "status": "published", "documents_read": 3, "metrics_loaded": 2},
        "run_count": 1,
        "rejections": [
            {"doc_id": "bad<1>", "stage": "ingest", "check_name": "empty", "reason": "file is empty", "run_id": "r1"}
        ],
        "by_region": [
            {
                "region": "湖南省株洲市石峰区",
                "indicator_code": "political_legal_officers",
                "indicator_name_zh": "政法干警",
                "value_sum": Decimal("458"),
                "latest_value": Decimal("458"),
                "unit_family": "people",
                "mention_count": 1,
                "document_count": 1,
            }
        ],
        "by_organisation": [],
        "kinds": [{"doc_id": "doc", "kind": "count", "metric_count": 2}],
        "documents": [DocumentEntry("doc", title="标题 <b>", region="湖南省株洲市石峰区", metric_count=2, gap_count=1)],
        "checks": [
            {
                "check_name": "rate_from_counts",
                "doc_id": "doc",
                "metric_id": "h:{}:{}".format(*RATE),
                "stated_mention": "69.11%",
                "is_consistent": False,
            },
            {"check_name": "parts_within_total", "doc_id": "doc", "stated_mention": "458名", "is_consistent": True},
        ],
    }
    return ExplorerData(**{**base, **overrides})


def test_entry_page_is_self_contained_with_charts_index_and_flagged_gaps() -> None:
    page = render_explorer(_data(), "explorer.html.pages")
    plotly_js = plotly.offline.get_plotlyjs()
    assert page.count(plotly_js) == 1  # plotly.js inline, once
    own = page.replace(plotly_js, "")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", own)  # nothing fetched from a network
    parsed = _parse(page)
    assert {CHART_IDS[0], CHART_IDS[2]} <= parsed.ids and parsed.marks == []  # the texts are on document pages
    assert page.count("Plotly.newPlot(") == 2  # region and kinds; the organisation chart has no data
    assert 'id="chart-organisation" data-empty="true"' in page
    assert f'<a href="explorer.html.pages/{page_name("doc")}">doc</a>' in page  # the index links the page
    stated = f'<a href="explorer.html.pages/{page_name("doc")}#m-h:{RATE[0]}:{RATE[1]}">69.11%</a>'
    assert f'<tr class="inconsistent"><td>⚠ gap</td><td>rate_from_counts</td><td>doc</td><td>{stated}</td>' in page
    assert "bad&lt;1&gt;" in page and "标题 &lt;b&gt;" in page
    assert 'class="capped"' not in page  # every table is complete


def test_capped_tables_say_how_many_rows_there_are_and_where_to_query_them() -> None:
    page = render_explorer(_data(document_count=12_000, rejection_count=700, check_count=9_000, gap_count=40))
    assert "First 1 of 12,000 documents (by id)" in page and "select * from metrics_by_document" in page
    assert "First 1 of 700 rejections" in page and "Rejected in this run (700)" in page
    assert "First 2 of 9,000 checks (gaps first)" in page and "40 with a gap" in page
    summary = summary_markdown(_data(rejection_count=700, gap_count=40))
    assert "## Rejected (700)" in summary and "… and 680 more" in summary and "2 checks, 40 with a gap" in summary


def test_document_page_highlights_its_text_and_lists_its_metrics() -> None:
    doc = DocumentText("doc", "h", title="标题 <b>", region="湖南省株洲市石峰区", text=TEXT)
    page = render_document(doc, _metrics(), "explorer.html")
    parsed = _parse(page)
    assert {"filter-indicator", "filter-region", "detail", "tooltip", "metrics"} <= parsed.ids
    assert len(parsed.marks) == 2 and "Plotly" not in page
    assert '<link rel="stylesheet" href="explorer.css">' in page and '<script src="explorer.js">' in page
    assert '<a href="../explorer.html">' in page and "标题 &lt;b&gt;" in page
    assert '<option value="political_legal_officers">政法干警 (political_legal_officers)</option>' in page
    assert '<option value="__none__">(no indicator)</option>' in page
    assert '<option value="__none__">(no region)</option>' in page
    assert '<td><a href="#m-h:2:6">458名</a></td>' in page  # the metrics table links each mark
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_a_metrics_table_row_with_markup_in_one_value_is_escaped_and_the_others_are_as_displayed() -> None:
    # "A & B <org>" as an organisation: that row's cells are escaped one by one, the plain row's are displayed
    doc = DocumentText("doc", "h", text=TEXT)
    tricky = _metric(*RATE, org="A & B <org>", value=Decimal("69.110000"))
    page = render_document(doc, [_metric(2, 6), tricky], "explorer.html")
    rows = re.findall(r"<tr><td>.*?</tr>", page)
    plain = next(r for r in rows if "458名" in r)
    marked = next(r for r in rows if "69.11%" in r)
    assert "<td>石峰区政法各单位</td>" in plain and "<td>458</td>" in plain
    assert "<td>A &amp; B &lt;org&gt;</td>" in marked and "<td>69.11</td>" in marked
    assert f'<td><a href="#m-h:{RATE[0]}:{RATE[1]}">69.11%</a></td>' in marked  # still linked to its mark
    assert "<org>" not in page


def test_empty_warehouse_renders_notes_instead_of_charts() -> None:
    page = render_explorer(ExplorerData("/w/empty.duckdb", NOW))
    assert "Plotly.newPlot(" not in page
    assert all(f'id="{chart}" data-empty="true"' in page for chart in CHART_IDS)
    assert "records no run yet" in page and "holds no current document" in page
    problem = render_explorer(ExplorerData("/w/x.duckdb", NOW, problem="no warehouse at /w/x.duckdb"))
    assert "no warehouse at /w/x.duckdb" in problem


def test_document_without_text_lists_its_metrics_without_marks() -> None:
    doc = DocumentText("doc", "h", text=None, text_note="its file /in/doc.txt has changed since it was loaded")
    page = render_document(doc, _metrics(), "explorer.html")
    assert _parse(page).marks == []
    assert 'data-text="unavailable"' in page and "has changed since it was loaded" in page
    assert "458名" in page and 'href="#m-' not in page


def test_summary_markdown_counts_rejections_and_gaps() -> None:
    text = summary_markdown(_data())
    assert "| documents read | 3 |" in text and "| metrics loaded | 2 |" in text
    assert "## Rejected (1)" in text and "| bad<1> | ingest | empty | file is empty |" in text
    assert "2 checks, 1 with a gap" in text
    assert "records no run yet" in summary_markdown(ExplorerData("/w/e.duckdb", NOW))
