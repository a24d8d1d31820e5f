"""The explorer: an entry page of a published warehouse, one page per document, and the run summary in markdown.

Input is plain records (dicts keyed by column name, as the warehouse views return them), output is text; nothing
here reads files other than the pages' own templates, style and script under `explorer_assets/`, and nothing
imports Prefect. The entry page holds, in a size bounded whatever the corpus:

- the run: when it ran, how many documents and metrics it read and loaded, and its rejections (the first
  `ENTRY_ROWS`, with the count of all);
- plotly charts over aggregates (headline indicators by region and by organisation, metric kinds of the documents
  with the most metrics, one indicator across regions and periods), with plotly.js embedded once so the file
  opens without a network;
- an index of the first `ENTRY_ROWS` documents with their metric, indicator and gap counts, each linking to its
  page; `index.html` beside the document pages lists them all;
- the consistency checks, those with a gap first and flagged.

A document page holds the document's text with every metric wrapped in a `<mark>` at its exact span, carrying the
metric's attributes as `data-*` attributes for the tooltip, the detail panel and the indicator and region filters,
and the table of its metrics. It links the style and script shared by all document pages (`explorer.css`,
`explorer.js` in the same folder) and depends on nothing else, so it is rewritten only when the document changes.

Spans that overlap an earlier kept span (a nested or crossing mention) are not highlighted: the first span in
text order (the longer one when two start together) is kept, the other is listed under the text with the reason,
so the text itself is never altered. So is a span that lies outside the text or whose characters differ from the
metric's mention.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

Record = Mapping[str, Any]

# Names of the chart containers; the browser test looks for a rendered plot in each.
CHART_IDS: tuple[str, ...] = ("chart-region", "chart-organisation", "chart-kinds")
# The chart of one indicator across regions and periods, and how many indicators its menu offers at most.
SERIES_CHART_ID = "chart-series"
SERIES_MENU_SIZE = 40
# Filter value standing for "no indicator" / "no region" in the select boxes.
NONE_VALUE = "__none__"
# Rejections and consistency gaps listed in the markdown summary.
SUMMARY_REJECTIONS = 20
# Rows of each table of the entry page (documents, rejections, checks): the page's size stays bounded whatever the
# corpus, and a note under a longer table says how many rows it has and where to query them all.
ENTRY_ROWS = 500
# Groups (regions, organisations, documents) and indicators a chart shows at most: those with the most figures.
CHART_GROUPS = 40
CHART_INDICATORS = 40
# Points of one indicator a series chart shows at most per region: the latest.
SERIES_POINTS = 60
# The list of every document, beside the document pages.
INDEX_PAGE = "index.html"
# Style and script shared by the document pages, written beside them.
SHARED_ASSETS: tuple[str, ...] = ("explorer.css", "explorer.js")
# Fonts with Chinese glyphs, most likely first on Linux (Noto / Source Han, WenQuanYi, Droid, AR PL), macOS
# (PingFang, Hiragino, Heiti) and Windows (YaHei, SimHei, SimSun), then the generic families. `explorer.css` names
# the same list; where none is installed, the page says so in its header (see `explorer.js`).
CJK_FONT_STACK: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "SimHei",
    "SimSun",
    "system-ui",
    "sans-serif",
)
_FONT = ", ".join(CJK_FONT_STACK)
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True, slots=True)
class DocumentText:
    """A current document of the warehouse and the text its metric offsets point into.

    `text` is None when it could not be recovered (file gone or changed since it was loaded); `text_note` then
    says why, and the page shows the note instead of highlighting characters that may not be the metric's.
    """

    doc_id: str
    content_hash: str
    title: str | None = None
    publisher: str | None = None
    published_on: date | None = None
    region: str | None = None
    text: str | None = None
    text_note: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """A current document as the index lists it: its page's file name and what it holds.

    `metric_count` counts its metrics, `indicator_count` the distinct indicators they map to, `gap_count` its
    consistency checks with a gap beyond their rule.
    """

    doc_id: str
    title: str | None = None
    publisher: str | None = None
    published_on: date | None = None
    region: str | None = None
    metric_count: int = 0
    indicator_count: int = 0
    gap_count: int = 0


@dataclass(frozen=True, slots=True)
class ExplorerData:
    """What the entry page and the run summary show, read from one version of the published warehouse.

    Every sequence is bounded (aggregates, or the first rows of a table); the `*_count` fields give the full
    number of rows when the sequence holds only the first ones (None: the sequence is complete).

    - `run`: the latest row of `runs` (None for an empty warehouse), `run_count` the number of runs recorded;
    - `rejections`: rows of `rejections` for that run, `rejection_count` how many it has;
    - `by_region`, `by_organisation`: rows of the `metrics_by_region` and `metrics_by_organisation` marts for the
      `CHART_GROUPS` regions (organisations) and `CHART_INDICATORS` indicators with the most figures;
      `region_count`, `organisation_count` how many regions and organisations the marts have in all;
    - `kinds`: (doc_id, kind, metric_count) for the `CHART_GROUPS` documents with the most metrics;
    - `series`: rows of the `indicator_series` mart (indicator_code, indicator_name, org, region, period_end,
      value, unit …) for the indicators with the most figures, at most `SERIES_POINTS` per indicator and region;
    - `documents`: the index of current documents (in doc_id order), `document_count` how many there are;
      `metric_count` the metrics of current documents;
    - `checks`: rows of the `consistency_checks` mart, those with a gap first; `check_count` and `gap_count` the
      number of checks and of gaps;
    - `problem`: why the warehouse could not be read at all, if so.
    """

    warehouse: str
    generated_at: datetime
    run: Record | None = None
    run_count: int = 0
    rejections: Sequence[Record] = ()
    rejection_count: int | None = None
    by_region: Sequence[Record] = ()
    region_count: int | None = None
    by_organisation: Sequence[Record] = ()
    organisation_count: int | None = None
    kinds: Sequence[Record] = ()
    series: Sequence[Record] = ()
    documents: Sequence[DocumentEntry] = ()
    document_count: int | None = None
    metric_count: int | None = None
    checks: Sequence[Record] = ()
    check_count: int | None = None
    gap_count: int | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class HighlightPlan:
    """The metrics of one text split into those highlighted (in text order) and those skipped, with the reason."""

    kept: list[Record] = field(default_factory=list)
    skipped: list[tuple[Record, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------- values


# The characters `html.escape` replaces. Most values (numbers, codes, Chinese text) hold none of them, and a page
# escapes about 50 values per metric: looking first is a third of the cost of escaping them all.
_HTML_SPECIAL = re.compile("[&<>\"']")


def _escaped(text: str) -> str:
    """`html.escape(text, quote=True)`, without the copies when there is nothing to escape."""
    return html.escape(text, quote=True) if _HTML_SPECIAL.search(text) else text


def _escaped_all(texts: list[str]) -> list[str]:
    """`_escaped` of each of `texts`, looked at once for a character to escape (most rows and marks hold none)."""
    return [_escaped(text) for text in texts] if _HTML_SPECIAL.search("".join(texts)) else texts


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute: None as empty, `<`, `&` and both quotes escaped."""
    return _escaped(value if type(value) is str else display(value))


def display(value: object) -> str:
    """A value as an analyst reads it: decimals without trailing zeros, dates in ISO form, None as empty."""
    if type(value) is str:  # most values: first, before the checks of the other types
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, float):
        if value != value:  # NaN, as pandas gives a missing number
            return ""
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def period_text(metric: Record) -> str:
    """The time a metric refers to: `start – end`, one of them, or `as of` a date; empty when unknown."""
    start, end, as_of = metric.get("period_start"), metric.get("period_end"), metric.get("as_of")
    if start and end:
        return f"{display(start)} – {display(end)}"
    if start or end:
        return display(start or end)
    if as_of:
        return f"as of {display(as_of)}"
    return ""


def page_name(doc_id: str) -> str:
    """The file name of a document's page: a stable hash of its doc_id (any characters, any length)."""
    return hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:20] + ".html"


def _total(rows: Sequence[object], count: int | None) -> int:
    """The full number of rows of a table of which `rows` are the first (`count` None: `rows` are all)."""
    return len(rows) if count is None else count


def _capped_note(shown: int, total: int, what: str, query: str) -> str:
    """Under a table that shows only its first rows: how many it has, and the query that gives them all."""
    if shown >= total:
        return ""
    return (
        f'<p class="capped">First {shown:,} of {total:,} {esc(what)}. Query the warehouse for all: '
        f"<code>{esc(query)}</code></p>"
    )


# ------------------------------------------------------------------------------------------------------ highlights


def plan_highlights(text: str, metrics: Sequence[Record]) -> HighlightPlan:
    """Which metrics of a text can be highlighted: spans inside the text, matching the mention, not overlapping.

    Metrics are taken in text order, the longer first when two start together; a span that starts before the end
    of the last kept one (nested or crossing) is skipped, naming the metric it overlaps.
    """
    plan = HighlightPlan()
    ordered = sorted(
        metrics, key=lambda m: (int(m["start_offset"]), -int(m["end_offset"]), str(m.get("metric_id", "")))
    )
    last: Record | None = None
    for metric in ordered:
        start, end = int(metric["start_offset"]), int(metric["end_offset"])
        if not 0 <= start < end <= len(text):
            plan.skipped.append((metric, f"span {start}–{end} lies outside the text ({len(text)} characters)"))
        elif text[start:end] != metric.get("mention"):
            plan.skipped.append((metric, f"the text at {start}–{end} reads {text[start:end]!r}, not the mention"))
        elif last is not None and start < int(last["end_offset"]):
            plan.skipped.append((metric, f"overlaps {last.get('mention')} ({last.get('metric_id')}), highlighted"))
        else:
            plan.kept.append(metric)
            last = metric
    return plan


def mark_attributes(metric: Record) -> dict[str, str]:
    """The `data-*` attributes of a metric's `<mark>` (unescaped), as the tooltip, panel and filters read them."""
    indicator = metric.get("indicator_code")
    name = metric.get("indicator_name_zh")
    return {
        "data-metric-id": display(metric.get("metric_id")),
        "data-doc": display(metric.get("doc_id")),
        "data-start": display(metric.get("start_offset")),
        "data-end": display(metric.get("end_offset")),
        "data-value": display(metric.get("value")),
        "data-unit": display(metric.get("unit")),
        "data-kind": display(metric.get("kind")),
        "data-approx": display(metric.get("approx")),
        "data-subject": display(metric.get("subject")),
        "data-indicator": display(indicator),
        "data-indicator-name": f"{display(name)} ({indicator})" if name and indicator else display(indicator),
        "data-org": display(metric.get("org")),
        "data-region": display(metric.get("region")),
        "data-period": period_text(metric),
        # layout provenance: a table cell shows its row and column headings, a PDF figure its page
        "data-page": display(metric.get("page_number")),
        "data-block": display(metric.get("block_kind")),
        "data-row-label": display(metric.get("row_label")),
        "data-column-heading": display(metric.get("column_heading")),
        "data-heading-period": display(metric.get("heading_period")),
    }


def highlighted_text(text: str, kept: Sequence[Record]) -> str:
    """The text as escaped HTML with each kept metric (in text order, not overlapping) wrapped in its `<mark>`."""
    parts: list[str] = []
    cursor = 0
    for metric in kept:
        start, end = int(metric["start_offset"]), int(metric["end_offset"])
        attributes = mark_attributes(metric)
        values = _escaped_all(list(attributes.values()))
        attrs = " ".join(f'{name}="{value}"' for name, value in zip(attributes, values, strict=True))
        kind = re.sub(r"[^a-z_]", "", display(metric.get("kind")).lower())
        parts.append(html.escape(text[cursor:start], quote=False))
        parts.append(
            f'<mark id="m-{esc(metric.get("metric_id"))}" class="metric kind-{kind}" tabindex="0" {attrs}>'
            f"{html.escape(text[start:end], quote=False)}</mark>"
        )
        cursor = end
    parts.append(html.escape(text[cursor:], quote=False))
    return "".join(parts)


# ---------------------------------------------------------------------------------------------------------- charts


def _no_data(chart_id: str, message: str) -> str:
    return f'<p class="no-data" id="{chart_id}" data-empty="true">{esc(message)}</p>'


def _figure_html(fig: go.Figure, chart_id: str, height: int, margin: Mapping[str, int]) -> str:
    fig.update_layout(
        font={"family": _FONT, "size": 12},
        margin={"l": 60, "r": 20, "t": 20, "b": 40, **margin},
        height=height,
        template="plotly_white",
    )
    return pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=chart_id,
        config={"displaylogo": False, "responsive": True},
    )


def _label(value: object, missing: str) -> str:
    # plotly renders a subset of HTML in labels; entities keep `<` and `&` literal.
    return html.escape(display(value) or missing, quote=False)


def _group_label(row: Record, group: str) -> str:
    """The row label of a heatmap row: the region or organisation; figures with no organisation are labelled with
    their own region, so that they never merge across regions."""
    value = display(row.get(group))
    if value or group != "org":
        return value
    return f"(no organisation · {display(row.get('region')) or 'no region'})"


def indicator_chart(rows: Sequence[Record], group: str, chart_id: str, group_title: str) -> str:
    """A grid of headline values: one row per `group` value (region or organisation), one column per indicator.

    Each cell shows the group's latest figure for the indicator (`latest_value` of the marts), never a sum: rates,
    shares and ranks do not add up, and counts of overlapping scopes (a court and all courts of its city) would be
    counted twice. Its colour follows the value on a log scale, since indicators count different things (people,
    cases, percents). Hovering a cell gives its unit family, date, range and how many mentions and documents the
    group has; an empty cell means the group reports nothing for that indicator.
    """
    usable = [r for r in rows if _number(r.get("latest_value")) is not None and r.get("indicator_code")]
    if not usable:
        return _no_data(chart_id, f"No data: no headline metric maps to an indicator with a {group_title.lower()}.")
    missing = f"(no {group_title.lower()})"
    codes = sorted({str(r["indicator_code"]) for r in usable})
    names = {str(r["indicator_code"]): display(r.get("indicator_name_zh")) or str(r["indicator_code"]) for r in usable}
    repeated = {n for n in names.values() if list(names.values()).count(n) > 1}
    columns = [_label(f"{names[c]} ({c})" if names[c] in repeated else names[c], c) for c in codes]
    groups = sorted({_group_label(r, group) for r in usable})
    cells = {(_group_label(r, group), str(r["indicator_code"])): r for r in usable}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    custom: list[list[list[object]]] = []
    for key in groups:
        z_row, text_row, custom_row = [], [], []
        for code in codes:
            cell = cells.get((key, code))
            value = _number(cell["latest_value"]) if cell else None
            z_row.append(math.log10(value) if value is not None and value > 0 else None)
            text_row.append(display(cell["latest_value"]) if cell else "")
            custom_row.append(
                [
                    code,
                    _label(cell.get("unit_family"), "-"),
                    cell.get("mention_count"),
                    cell.get("document_count"),
                    _label(cell.get("latest_reference_date"), "undated"),
                    f"{display(cell.get('value_min'))}–{display(cell.get('value_max'))}",
                ]
                if cell
                else [code, "", 0, 0, "", ""]
            )
        z.append(z_row)
        text.append(text_row)
        custom.append(custom_row)
    fig = go.Figure(
        go.Heatmap(
            x=columns,
            y=[_label(g, missing) for g in groups],
            z=z,
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            hovertemplate=(
                "%{y}<br>%{x} (%{customdata[0]})<br>latest %{text} %{customdata[1]} (%{customdata[4]})<br>"
                "range %{customdata[5]}; %{customdata[2]} mentions in %{customdata[3]} documents<extra></extra>"
            ),
            colorscale="YlGnBu",
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    fig.update_layout(xaxis={"side": "bottom", "tickangle": -45}, yaxis={"autorange": "reversed"})
    height = 170 + 30 * len(groups)
    return _figure_html(fig, chart_id, height, {"l": 12 * max(len(g) for g in groups) + 30, "b": 140})


def series_figure(rows: Sequence[Record]) -> go.Figure | None:
    """One indicator across regions and periods: a line per region over the periods' end dates, and a menu to
    pick the indicator (those with the most figures first, at most `SERIES_MENU_SIZE`). Hovering a point gives
    its organisation, value and unit. None when no row has an indicator, a value and a period."""
    usable = [
        r for r in rows if _number(r.get("value")) is not None and r.get("period_end") and r.get("indicator_code")
    ]
    if not usable:
        return None
    by_code: dict[str, list[Record]] = {}
    for r in usable:
        by_code.setdefault(str(r["indicator_code"]), []).append(r)
    codes = sorted(by_code, key=lambda c: (-len(by_code[c]), c))[:SERIES_MENU_SIZE]
    fig = go.Figure()
    owner: list[str] = []
    for code in codes:
        regions: dict[str, list[Record]] = {}
        for r in sorted(by_code[code], key=lambda r: (str(r["period_end"]), display(r.get("org")))):
            regions.setdefault(display(r.get("region")) or "(no region)", []).append(r)
        for region, points in sorted(regions.items()):
            fig.add_trace(
                go.Scatter(
                    x=[str(p["period_end"]) for p in points],
                    y=[_number(p["value"]) for p in points],
                    customdata=[[_label(p.get("org"), "-"), _label(p.get("unit"), "")] for p in points],
                    mode="lines+markers",
                    name=_label(region, "(no region)"),
                    visible=code == codes[0],
                    hovertemplate="%{x}<br>%{customdata[0]}<br>%{y} %{customdata[1]}<extra>%{fullData.name}</extra>",
                )
            )
            owner.append(code)

    def title(code: str) -> str:
        name = display(by_code[code][0].get("indicator_name"))
        return _label(f"{name} ({code})" if name else code, code)

    def window(code: str) -> list[str]:
        """The dates the axis shows for one indicator: its periods' ends, padded so that a single period is a point
        in a year rather than in a millisecond (a date axis would otherwise zoom in on it)."""
        ends = [date.fromisoformat(str(r["period_end"])[:10]) for r in by_code[code]]
        pad = max(timedelta(days=183), (max(ends) - min(ends)) / 20)
        return [(min(ends) - pad).isoformat(), (max(ends) + pad).isoformat()]

    buttons = [
        {
            "label": title(code),
            "method": "update",
            "args": [{"visible": [o == code for o in owner]}, {"xaxis.range": window(code)}],
        }
        for code in codes
    ]
    fig.update_layout(
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 0, "xanchor": "left", "y": 1.18}],
        xaxis={"type": "date", "title": "period end", "range": window(codes[0]), "tickformat": "%Y-%m-%d"},
        legend={"title": {"text": "region"}},
    )
    return fig


def series_chart(rows: Sequence[Record], chart_id: str = SERIES_CHART_ID) -> str:
    """The HTML of `series_figure`, or a no-data note."""
    fig = series_figure(rows)
    if fig is None:
        return _no_data(chart_id, "No data: no figure with an indicator and a period.")
    return _figure_html(fig, chart_id, 420, {"t": 60})


def kinds_chart(rows: Sequence[Record], chart_id: str) -> str:
    """Stacked bars of how many metrics of each kind (count, percent, change_pct, …) documents have, from rows of
    (doc_id, kind, metric_count) counted in the warehouse."""
    if not rows:
        return _no_data(chart_id, "No data: the warehouse holds no metrics of current documents.")
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (display(row.get("doc_id")), display(row.get("kind")) or "(none)")
        counts[key] = counts.get(key, 0) + int(row["metric_count"])
    docs = sorted({d for d, _ in counts})
    fig = go.Figure()
    for kind in sorted({k for _, k in counts}):
        fig.add_trace(
            go.Bar(
                name=_label(kind, ""),
                orientation="h",
                y=[_label(d, "") for d in docs],
                x=[counts.get((d, kind), 0) for d in docs],
                hovertemplate=f"%{{y}}<br>{_label(kind, '')}: %{{x}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        xaxis={"title": {"text": "metrics"}},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    height = 150 + 34 * len(docs)
    return _figure_html(fig, chart_id, height, {"l": 7 * max(len(d) for d in docs) + 30, "t": 40, "b": 50})


# ---------------------------------------------------------------------------------------------------------- tables


# A column's link: the address its cell links to, from the row (None: no link).
Link = Callable[[Record], str | None]


def _linked_cell(text: str, target: str | None) -> str:
    """A table cell of escaped `text`, linking to `target` when there is one."""
    return f'<td><a href="{esc(target)}">{text}</a></td>' if target else f"<td>{text}</td>"


def _table(
    rows: Sequence[Record],
    columns: Sequence[tuple[str, str]],
    empty: str,
    row_class: Any = None,
    links: Mapping[str, Link] | None = None,
) -> str:
    """An HTML table of `columns` (key, title) of `rows`; `links` gives the address a column's cells link to."""
    if not rows:
        return f'<p class="no-data">{esc(empty)}</p>'
    head = "".join(f"<th>{esc(title)}</th>" for _, title in columns)
    body = []
    links = links or {}
    for row in rows:
        cls = row_class(row) if row_class else ""
        texts = _escaped_all([display(row.get(key)) for key, _ in columns])
        cells = "".join(
            _linked_cell(text, links[key](row)) if key in links else f"<td>{text}</td>"
            for (key, _), text in zip(columns, texts, strict=True)
        )
        body.append(f'<tr class="{cls}">{cells}</tr>' if cls else f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


_RUN_FIELDS: tuple[tuple[str, str], ...] = (
    ("status", "status"),
    ("started_at", "started (UTC)"),
    ("finished_at", "finished (UTC)"),
    ("documents_read", "documents read"),
    ("documents_new", "new"),
    ("documents_changed", "changed"),
    ("documents_unchanged", "unchanged"),
    ("documents_reextracted", "re-extracted"),
    ("documents_missing", "missing"),
    ("documents_rejected", "documents rejected"),
    ("metrics_loaded", "metrics loaded"),
    ("metrics_total", "metrics in the warehouse"),
    ("rows_rejected", "rows rejected"),
    ("failure_share", "failure share"),
    ("max_failure_share", "allowed failure share"),
    ("extractor_version", "extractor version"),
    ("catalog_version", "catalog version"),
    ("run_id", "run id"),
    ("flow_run_id", "Prefect flow run"),
)
_REJECTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "document"),
    ("stage", "stage"),
    ("check_name", "check"),
    ("column_name", "column"),
    ("reason", "reason"),
    ("offending_value", "value"),
    ("source_path", "file"),
)
_CHECK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("flag", ""),
    ("check_name", "check"),
    ("doc_id", "document"),
    ("stated_mention", "stated"),
    ("recomputed_from", "recomputed from"),
    ("recomputed_value", "recomputed"),
    ("gap", "gap"),
    ("tolerance", "tolerance"),
    ("rule", "rule"),
    ("subject", "subject"),
)


def _run_section(data: ExplorerData) -> str:
    if data.problem:
        return f'<p class="no-data problem">{esc(data.problem)}</p>'
    if data.run is None:
        return '<p class="no-data">No data: the warehouse records no run yet.</p>'
    run = data.run
    cells = "".join(
        f'<div class="stat"><dt>{esc(title)}</dt><dd data-field="{esc(key)}">{esc(run.get(key))}</dd></div>'
        for key, title in _RUN_FIELDS
    )
    history = f"latest of {data.run_count} runs recorded" if data.run_count > 1 else "the only run recorded"
    rejected = _total(data.rejections, data.rejection_count)
    rejections = _table(
        data.rejections, _REJECTION_COLUMNS, "Nothing was rejected in this run: every file and row was loaded."
    )
    note = _capped_note(
        len(data.rejections),
        rejected,
        "rejections",
        f"select * from rejections where run_id = '{display(run.get('run_id'))}'",
    )
    return (
        f'<p class="lead">Run <code>{esc(run.get("run_id"))}</code> ({esc(history)}).</p>'
        f'<dl class="stats">{cells}</dl>'
        f"<h3>Rejected in this run ({rejected:,})</h3>{rejections}{note}"
    )


def _options(values: Sequence[tuple[str, str]], everything: str) -> str:
    items = [f'<option value="">{esc(everything)}</option>']
    items += [f'<option value="{esc(value)}">{esc(label)}</option>' for value, label in values]
    return "".join(items)


def _filters(metrics: Sequence[Record]) -> str:
    indicators: dict[str, str] = {}
    regions: set[str] = set()
    no_indicator = no_region = False
    for metric in metrics:
        code = display(metric.get("indicator_code"))
        if code:
            name = display(metric.get("indicator_name_zh"))
            indicators[code] = f"{name} ({code})" if name else code
        else:
            no_indicator = True
        region = display(metric.get("region"))
        if region:
            regions.add(region)
        else:
            no_region = True
    indicator_values = sorted(indicators.items(), key=lambda item: item[1])
    if no_indicator:
        indicator_values.append((NONE_VALUE, "(no indicator)"))
    region_values = [(r, r) for r in sorted(regions)]
    if no_region:
        region_values.append((NONE_VALUE, "(no region)"))
    return (
        '<div class="filters" role="search">'
        '<label>Indicator <select id="filter-indicator">'
        f"{_options(indicator_values, 'all indicators')}</select></label>"
        '<label>Region <select id="filter-region">'
        f"{_options(region_values, 'all regions')}</select></label>"
        f'<span id="filter-count" aria-live="polite">{len(metrics)} metrics</span>'
        "</div>"
    )


def _document_section(doc: DocumentText, metrics: Sequence[Record]) -> str:
    meta = " · ".join(
        esc(v)
        for v in (doc.publisher, display(doc.published_on), doc.region, f"{len(metrics)} metrics", doc.doc_id)
        if v
    )
    title = esc(doc.title or doc.doc_id)
    head = f'<header><h3>{title}</h3><p class="meta">{meta}</p></header>'
    if doc.text is None:
        note = doc.text_note or "the document's text is not available"
        listed = _table(
            sorted(metrics, key=lambda m: int(m["start_offset"])),
            (
                ("start_offset", "start"),
                ("mention", "mention"),
                ("subject", "subject"),
                ("indicator_code", "indicator"),
            ),
            "No metrics.",
        )
        return (
            f'<article class="doc" id="doc-{esc(doc.doc_id)}" data-text="unavailable">{head}'
            f'<p class="text-unavailable">Text unavailable: {esc(note)}. Its metrics are listed without '
            f"highlighting.</p>{listed}</article>"
        )
    plan = plan_highlights(doc.text, metrics)
    skipped = ""
    if plan.skipped:
        items = "".join(
            f'<li data-metric-id="{esc(m.get("metric_id"))}"><b>{esc(m.get("mention"))}</b> '
            f"({esc(m.get('start_offset'))}–{esc(m.get('end_offset'))}): {esc(reason)}</li>"
            for m, reason in plan.skipped
        )
        skipped = (
            f'<details class="skipped" open><summary>Not highlighted ({len(plan.skipped)})</summary>'
            f"<ul>{items}</ul></details>"
        )
    return (
        f'<article class="doc" id="doc-{esc(doc.doc_id)}" data-text="available">{head}'
        f'<div class="doc-text" lang="zh">{highlighted_text(doc.text, plan.kept)}</div>{skipped}</article>'
    )


_INDEX_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "document"),
    ("title", "title"),
    ("publisher", "publisher"),
    ("published_on", "published"),
    ("region", "region"),
    ("metric_count", "metrics"),
    ("indicator_count", "indicators"),
    ("gap_count", "gaps"),
)


def _index_table(entries: Iterable[DocumentEntry], pages: str) -> Iterator[str]:
    """The index of documents as HTML, in pieces (it may list every document): a row per document, its id linking
    to its page in the folder `pages` (relative to the page holding the table; empty: the same folder)."""
    prefix = f"{pages}/" if pages else ""
    yield '<table class="index"><thead><tr>'
    yield "".join(f"<th>{esc(title)}</th>" for _, title in _INDEX_COLUMNS)
    yield "</tr></thead><tbody>"
    for entry in entries:
        cells = [f'<td><a href="{esc(prefix + page_name(entry.doc_id))}">{esc(entry.doc_id)}</a></td>']
        cells += [f"<td>{esc(getattr(entry, key))}</td>" for key, _ in _INDEX_COLUMNS[1:]]
        flag = ' class="inconsistent"' if entry.gap_count else ""
        yield f"<tr{flag}>{''.join(cells)}</tr>"
    yield "</tbody></table>"


def _index_section(data: ExplorerData, pages: str) -> str:
    if not data.documents:
        return '<p class="no-data">No data: the warehouse holds no current document.</p>'
    total = _total(data.documents, data.document_count)
    metrics = f", {data.metric_count:,} metrics" if data.metric_count is not None else ""
    lead = (
        f'<p class="lead">{total:,} current documents{metrics}. Each document\'s text, with every metric '
        f'highlighted where it stands, is on its own page: follow its id. <a href="{esc(pages)}/{INDEX_PAGE}">'
        "All documents</a>.</p>"
    )
    note = _capped_note(len(data.documents), total, "documents (by id)", "select * from metrics_by_document")
    return lead + "".join(_index_table(data.documents, pages)) + note


def _check_link(pages: str) -> Link:
    """A check's stated figure links to its mark on its document's page."""

    def link(check: Record) -> str | None:
        doc_id, metric_id = check.get("doc_id"), check.get("metric_id")
        return f"{pages}/{page_name(str(doc_id))}#m-{display(metric_id)}" if doc_id and metric_id else None

    return link


def _checks_section(data: ExplorerData, pages: str) -> str:
    checks = data.checks
    rows = [{**c, "flag": "✓" if c.get("is_consistent") else "⚠ gap"} for c in checks]
    total = _total(checks, data.check_count)
    gaps = data.gap_count if data.gap_count is not None else sum(1 for c in checks if not c.get("is_consistent"))
    lead = (
        f'<p class="lead">{total:,} checks, <strong class="{"flag" if gaps else ""}">{gaps:,} with a gap</strong> '
        "beyond the rule (flagged ⚠, listed first).</p>"
        if checks
        else ""
    )
    table = _table(
        rows,
        _CHECK_COLUMNS,
        "No data: no report states a figure that can be recomputed from its other figures.",
        row_class=lambda r: "inconsistent" if not r.get("is_consistent") else "consistent",
        links={"stated_mention": _check_link(pages)},
    )
    note = _capped_note(len(checks), total, "checks (gaps first)", "select * from consistency_checks")
    return lead + table + note


# ----------------------------------------------------------------------------------------------------------- pages


@cache
def _asset(name: str) -> str:
    return (resources.files("warehouse") / "explorer_assets" / name).read_text(encoding="utf-8")


def _fill(template: str, parts: Mapping[str, str]) -> str:
    # One pass: inserted text (report text, plotly.js) is never scanned for placeholders again.
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def _charts(data: ExplorerData) -> str:
    def capped(caption: str, shown: int, total: int | None, what: str) -> str:
        return (
            f"{caption} (the {shown:,} {what} with the most figures, of {total:,})" if (total or 0) > shown else caption
        )

    regions = len({display(r.get("region")) for r in data.by_region})
    organisations = len({(display(r.get("org")), display(r.get("region"))) for r in data.by_organisation})
    documents = len({display(r.get("doc_id")) for r in data.kinds})
    return "".join(
        f'<figure class="chart"><figcaption>{esc(caption)}</figcaption>{body}</figure>'
        for caption, body in (
            (
                capped("Headline indicators by region", regions, data.region_count, "regions"),
                indicator_chart(data.by_region, "region", CHART_IDS[0], "Region"),
            ),
            (
                capped("Metric kinds per document", documents, data.document_count, "documents"),
                kinds_chart(data.kinds, CHART_IDS[2]),
            ),
            ("One indicator across regions and periods", series_chart(data.series)),
            (
                capped("Headline indicators by organisation", organisations, data.organisation_count, "organisations"),
                indicator_chart(data.by_organisation, "org", CHART_IDS[1], "Organisation"),
            ),
        )
    )


def render_explorer(data: ExplorerData, pages: str = "explorer.html.pages") -> str:
    """The entry page as one HTML string: style, script and plotly.js inline; it links the document pages in the
    folder `pages` (relative to the page), and nothing else outside itself."""
    return _fill(
        _asset("explorer.html"),
        {
            "title": esc(f"report-metrics explorer — {data.warehouse}"),
            "css": _asset("explorer.css"),
            "plotlyjs": plotly.offline.get_plotlyjs(),
            "js": _asset("explorer.js"),
            "font_notice": _asset("font_notice.html"),
            "warehouse": esc(data.warehouse),
            "generated_at": esc(data.generated_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip()),
            "run": _run_section(data),
            "charts": _charts(data),
            "documents": _index_section(data, pages),
            "checks": _checks_section(data, pages),
        },
    )


_METRIC_TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("start_offset", "start"),
    ("mention", "mention"),
    ("value", "value"),
    ("unit", "unit"),
    ("kind", "kind"),
    ("subject", "subject"),
    ("indicator_code", "indicator"),
    ("org", "organisation"),
    ("region", "region"),
    ("period", "period"),
)


def render_document(doc: DocumentText, metrics: Sequence[Record], entry: str) -> str:
    """The page of one document: its text with every metric highlighted, its filters and the table of its metrics.

    The page links the shared `explorer.css` and `explorer.js` in its own folder and the entry page `entry`
    (relative to that folder); it holds nothing that changes unless the document or its metrics change.
    """
    ordered = sorted(metrics, key=lambda m: (int(m["start_offset"]), str(m.get("metric_id", ""))))
    rows = [{**m, "period": period_text(m)} for m in ordered]
    table = _table(
        rows,
        _METRIC_TABLE_COLUMNS,
        "No metrics were extracted from this document.",
        links={"mention": lambda m: f"#m-{display(m.get('metric_id'))}" if doc.text is not None else None},
    )
    return _fill(
        _asset("document.html"),
        {
            "title": esc(f"{doc.title or doc.doc_id} — report-metrics explorer"),
            "heading": esc(doc.title or doc.doc_id),
            "doc_id": esc(doc.doc_id),
            "font_notice": _asset("font_notice.html"),
            "entry": esc(entry),
            "index": esc(INDEX_PAGE),
            "filters": _filters(metrics),
            "article": _document_section(doc, metrics),
            "metric_count": str(len(metrics)),
            "metrics": table,
        },
    )


def render_index(entries: Iterable[DocumentEntry], total: int, warehouse: str, entry: str) -> Iterator[str]:
    """The page listing every document (`total` of them), in pieces: it is written beside the document pages and
    grows with the corpus, so it is never held whole in memory. `entry` is the entry page, relative to it."""
    head, tail = _asset("index.html").split("{{table}}")
    parts = {"title": esc(f"All documents — {warehouse}"), "entry": esc(entry), "count": f"{total:,}"}
    yield _fill(head, parts)
    yield from _index_table(entries, "")
    yield _fill(tail, parts)


# -------------------------------------------------------------------------------------------------------- markdown


def _md(value: object) -> str:
    return display(value).replace("|", "\\|").replace("\n", " ")


def summary_markdown(data: ExplorerData) -> str:
    """The run summary as markdown (for a Prefect artifact): counts, rejections and consistency gaps (the first
    `SUMMARY_REJECTIONS` of each, with the count of all)."""
    lines = ["# report-metrics run", ""]
    if data.problem:
        return "\n".join([*lines, f"The warehouse `{data.warehouse}` could not be read: {_md(data.problem)}", ""])
    if data.run is None:
        return "\n".join([*lines, f"The warehouse `{data.warehouse}` records no run yet.", ""])
    run = data.run
    lines += ["| | |", "|---|---|"]
    lines += [f"| {title} | {_md(run.get(key))} |" for key, title in _RUN_FIELDS]
    rejected = _total(data.rejections, data.rejection_count)
    lines += ["", f"## Rejected ({rejected})", ""]
    if data.rejections:
        lines += ["| document | stage | check | reason |", "|---|---|---|---|"]
        lines += [
            f"| {_md(r.get('doc_id'))} | {_md(r.get('stage'))} | {_md(r.get('check_name'))} | {_md(r.get('reason'))} |"
            for r in data.rejections[:SUMMARY_REJECTIONS]
        ]
        if rejected > SUMMARY_REJECTIONS:
            lines.append(f"\n… and {rejected - SUMMARY_REJECTIONS} more (see the explorer page).")
    else:
        lines.append("Nothing was rejected.")
    gaps = [c for c in data.checks if not c.get("is_consistent")]
    gap_count = len(gaps) if data.gap_count is None else data.gap_count
    lines += ["", f"## Consistency: {_total(data.checks, data.check_count)} checks, {gap_count} with a gap", ""]
    lines += [
        f"- {_md(c.get('doc_id'))}: {_md(c.get('stated_mention'))} vs {_md(c.get('recomputed_from'))} "
        f"= {_md(c.get('recomputed_value'))} ({_md(c.get('rule'))})"
        for c in gaps[:SUMMARY_REJECTIONS]
    ]
    if gap_count > SUMMARY_REJECTIONS:
        lines.append(f"\n… and {gap_count - SUMMARY_REJECTIONS} more (see the explorer page).")
    return "\n".join(lines).rstrip() + "\n"
