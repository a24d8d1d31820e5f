"""The explorer: one self-contained HTML page of a published warehouse, and the run summary in markdown.

Input is plain records (dicts keyed by column name, as the warehouse views return them), output is text; nothing
here reads files other than the page's own template, style and script under `explorer_assets/`, and nothing
imports Prefect. The page holds:

- the run: when it ran, how many documents and metrics it read and loaded, and every rejection with its reason;
- plotly charts of the headline indicators by region and by organisation, and of the metric kinds per document,
  with plotly.js embedded once so the file opens without a network;
- each current document's text with every metric wrapped in a `<mark>` at its exact span, carrying the metric's
  attributes as `data-*` attributes for the tooltip, the detail panel and the indicator and region filters;
- the consistency checks, inconsistent ones flagged.

Spans that overlap an earlier kept span (a nested or crossing mention) are not highlighted: the first span in
text order (the longer one when two start together) is kept, the other is listed under the text with the reason,
so the text itself is never altered. So is a span that lies outside the text or whose characters differ from the
metric's mention.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
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
# Rejections listed in the markdown summary; the page lists all of them.
SUMMARY_REJECTIONS = 20
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
class ExplorerData:
    """What the explorer shows, read from one version of the published warehouse.

    - `run`: the latest row of `runs` (None for an empty warehouse), `run_count` the number of runs recorded;
    - `rejections`: rows of `rejections` for that run;
    - `by_region`, `by_organisation`: rows of the `metrics_by_region` and `metrics_by_organisation` marts;
    - `metrics`: rows of `stg_metrics` for current documents (metric_id, doc_id, content_hash, start_offset,
      end_offset, mention, value, unit, kind, approx, subject, indicator_code, indicator_name_zh, org, region,
      period_start, period_end, as_of);
    - `documents`: the current documents with their text;
    - `checks`: rows of the `consistency_checks` mart;
    - `problem`: why the warehouse could not be read at all, if so;
    - `series`: rows of the `indicator_series` mart (indicator_code, indicator_name, org, region, period_end, value,
      unit …), for the chart of one indicator across regions and periods.
    """

    warehouse: str
    generated_at: datetime
    run: Record | None = None
    run_count: int = 0
    rejections: Sequence[Record] = ()
    by_region: Sequence[Record] = ()
    by_organisation: Sequence[Record] = ()
    metrics: Sequence[Record] = ()
    documents: Sequence[DocumentText] = ()
    checks: Sequence[Record] = ()
    problem: str | None = None
    series: Sequence[Record] = ()


@dataclass(frozen=True, slots=True)
class HighlightPlan:
    """The metrics of one text split into those highlighted (in text order) and those skipped, with the reason."""

    kept: list[Record] = field(default_factory=list)
    skipped: list[tuple[Record, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------- values


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute: None as empty, `<`, `&` and both quotes escaped."""
    return html.escape(display(value), quote=True)


def display(value: object) -> str:
    """A value as an analyst reads it: decimals without trailing zeros, dates in ISO form, None as empty."""
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
        attrs = " ".join(
            f'{name}="{html.escape(value, quote=True)}"' for name, value in mark_attributes(metric).items()
        )
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

    buttons = [
        {"label": title(code), "method": "update", "args": [{"visible": [o == code for o in owner]}]} for code in codes
    ]
    fig.update_layout(
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 0, "xanchor": "left", "y": 1.18}],
        xaxis={"type": "date", "title": "period end"},
        legend={"title": {"text": "region"}},
    )
    return fig


def series_chart(rows: Sequence[Record], chart_id: str = SERIES_CHART_ID) -> str:
    """The HTML of `series_figure`, or a no-data note."""
    fig = series_figure(rows)
    if fig is None:
        return _no_data(chart_id, "No data: no figure with an indicator and a period.")
    return _figure_html(fig, chart_id, 420, {"t": 60})


def kinds_chart(metrics: Sequence[Record], chart_id: str) -> str:
    """Stacked bars of how many metrics of each kind (count, percent, change_pct, …) every current document has."""
    if not metrics:
        return _no_data(chart_id, "No data: the warehouse holds no metrics of current documents.")
    counts: dict[tuple[str, str], int] = {}
    for metric in metrics:
        key = (display(metric.get("doc_id")), display(metric.get("kind")) or "(none)")
        counts[key] = counts.get(key, 0) + 1
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


def _cell(row: Record, key: str, links: Mapping[str, str]) -> str:
    text = esc(row.get(key))
    target = row.get(links[key]) if key in links else None
    return f'<td><a href="#m-{esc(target)}">{text}</a></td>' if target else f"<td>{text}</td>"


def _table(
    rows: Sequence[Record],
    columns: Sequence[tuple[str, str]],
    empty: str,
    row_class: Any = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """An HTML table of `columns` (key, title) of `rows`; `links` maps a column to the metric id its cell links to."""
    if not rows:
        return f'<p class="no-data">{esc(empty)}</p>'
    head = "".join(f"<th>{esc(title)}</th>" for _, title in columns)
    body = []
    for row in rows:
        cls = row_class(row) if row_class else ""
        cells = "".join(_cell(row, key, links or {}) for key, _ in columns)
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
    rejections = _table(
        data.rejections, _REJECTION_COLUMNS, "Nothing was rejected in this run: every file and row was loaded."
    )
    return (
        f'<p class="lead">Run <code>{esc(run.get("run_id"))}</code> ({esc(history)}).</p>'
        f'<dl class="stats">{cells}</dl>'
        f"<h3>Rejected in this run ({len(data.rejections)})</h3>{rejections}"
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


def _documents_section(data: ExplorerData) -> str:
    if not data.documents:
        return '<p class="no-data">No data: the warehouse holds no current document.</p>'
    by_doc: dict[str, list[Record]] = {}
    for metric in data.metrics:
        by_doc.setdefault(str(metric.get("content_hash")), []).append(metric)
    articles = "".join(_document_section(doc, by_doc.get(doc.content_hash, [])) for doc in data.documents)
    return _filters(data.metrics) + articles


def _checks_section(checks: Sequence[Record]) -> str:
    rows = [{**c, "flag": "✓" if c.get("is_consistent") else "⚠ gap"} for c in checks]
    gaps = sum(1 for c in checks if not c.get("is_consistent"))
    lead = (
        f'<p class="lead">{len(checks)} checks, <strong class="{"flag" if gaps else ""}">{gaps} with a gap</strong> '
        "beyond the rule (flagged ⚠).</p>"
        if checks
        else ""
    )
    table = _table(
        rows,
        _CHECK_COLUMNS,
        "No data: no report states a figure that can be recomputed from its other figures.",
        row_class=lambda r: "inconsistent" if not r.get("is_consistent") else "consistent",
        links={"stated_mention": "metric_id"},
    )
    return lead + table


# ------------------------------------------------------------------------------------------------------------ page


def _asset(name: str) -> str:
    return (resources.files("warehouse") / "explorer_assets" / name).read_text(encoding="utf-8")


def _fill(template: str, parts: Mapping[str, str]) -> str:
    # One pass: inserted text (report text, plotly.js) is never scanned for placeholders again.
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def render_explorer(data: ExplorerData) -> str:
    """The whole explorer page as one HTML string: style, script and plotly.js inline, no external resource."""
    charts = "".join(
        f'<figure class="chart"><figcaption>{esc(caption)}</figcaption>{body}</figure>'
        for caption, body in (
            ("Headline indicators by region", indicator_chart(data.by_region, "region", CHART_IDS[0], "Region")),
            ("Metric kinds per document", kinds_chart(data.metrics, CHART_IDS[2])),
            ("One indicator across regions and periods", series_chart(data.series)),
            (
                "Headline indicators by organisation",
                indicator_chart(data.by_organisation, "org", CHART_IDS[1], "Organisation"),
            ),
        )
    )
    return _fill(
        _asset("explorer.html"),
        {
            "title": esc(f"report-metrics explorer — {data.warehouse}"),
            "css": _asset("explorer.css"),
            "plotlyjs": plotly.offline.get_plotlyjs(),
            "js": _asset("explorer.js"),
            "warehouse": esc(data.warehouse),
            "generated_at": esc(data.generated_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip()),
            "run": _run_section(data),
            "charts": charts,
            "documents": _documents_section(data),
            "checks": _checks_section(data.checks),
        },
    )


# -------------------------------------------------------------------------------------------------------- markdown


def _md(value: object) -> str:
    return display(value).replace("|", "\\|").replace("\n", " ")


def summary_markdown(data: ExplorerData) -> str:
    """The run summary as markdown (for a Prefect artifact): counts, rejections and consistency gaps."""
    lines = ["# report-metrics run", ""]
    if data.problem:
        return "\n".join([*lines, f"The warehouse `{data.warehouse}` could not be read: {_md(data.problem)}", ""])
    if data.run is None:
        return "\n".join([*lines, f"The warehouse `{data.warehouse}` records no run yet.", ""])
    run = data.run
    lines += ["| | |", "|---|---|"]
    lines += [f"| {title} | {_md(run.get(key))} |" for key, title in _RUN_FIELDS]
    lines += ["", f"## Rejected ({len(data.rejections)})", ""]
    if data.rejections:
        lines += ["| document | stage | check | reason |", "|---|---|---|---|"]
        lines += [
            f"| {_md(r.get('doc_id'))} | {_md(r.get('stage'))} | {_md(r.get('check_name'))} | {_md(r.get('reason'))} |"
            for r in data.rejections[:SUMMARY_REJECTIONS]
        ]
        if len(data.rejections) > SUMMARY_REJECTIONS:
            lines.append(f"\n… and {len(data.rejections) - SUMMARY_REJECTIONS} more (see the explorer page).")
    else:
        lines.append("Nothing was rejected.")
    gaps = [c for c in data.checks if not c.get("is_consistent")]
    lines += ["", f"## Consistency: {len(data.checks)} checks, {len(gaps)} with a gap", ""]
    lines += [
        f"- {_md(c.get('doc_id'))}: {_md(c.get('stated_mention'))} vs {_md(c.get('recomputed_from'))} "
        f"= {_md(c.get('recomputed_value'))} ({_md(c.get('rule'))})"
        for c in gaps
    ]
    return "\n".join(lines).rstrip() + "\n"
