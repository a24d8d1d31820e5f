"""Everything read from one document's text: its metadata, its metrics, and for each metric its canonical
indicator, its attribution (organisation, region, period) and its relations to other metrics.

This is the one place that composes the extractor, the indicator catalog and attribution, so that the flow and
`report-metrics extract` always agree.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

from transforms.attribution import Attribution, attribute
from transforms.extract import DeadlineExceeded, Metric, check_deadline, clean_text, extract_metrics
from transforms.formats.blocks import Layout, PlacedTable
from transforms.indicators import Catalog, Link, annotate, load_catalog
from transforms.metadata import DocumentMeta, document_metadata
from transforms.tables import CellProvenance, TableMetric, part_links, table_metrics


@dataclass(frozen=True, slots=True)
class MetricLayout:
    """Where in a document's layout one metric was read (all None for plain text), named as the `metrics` columns:
    the 1-based `page_number` (PDF), the `block_kind` (`heading`, `paragraph` or `table_cell`) and, for a table cell,
    the table, row and column indices (0-based), the row label, the column heading and the period the heading names
    as written (`2022年`, `本期`)."""

    page_number: int | None = None
    block_kind: str | None = None
    table_index: int | None = None
    table_row: int | None = None
    table_column: int | None = None
    row_label: str | None = None
    column_heading: str | None = None
    heading_period: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict."""
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


NO_LAYOUT = MetricLayout()


@dataclass(frozen=True, slots=True)
class Analysis:
    """One document's reading: `metrics[i]` has indicator `codes[i]` and attribution `attributions[i]`."""

    meta: DocumentMeta
    metrics: list[Metric]
    codes: list[str | None]
    attributions: list[Attribution]
    links: list[Link]
    layouts: list[MetricLayout] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """One JSON-serialisable dict per metric: the extractor's fields, indicator, org, region and period."""
        out = []
        layouts = self.layouts or [NO_LAYOUT] * len(self.metrics)
        for metric, code, attr, layout in zip(self.metrics, self.codes, self.attributions, layouts, strict=True):
            out.append(
                {
                    **metric.to_dict(),
                    "indicator": code,
                    "indicator_name": load_catalog().name(code),
                    "org": attr.org,
                    "org_kind": attr.org_kind,
                    "region": attr.region,
                    "region_code": attr.region_code,
                    "period_start": attr.period_start.isoformat() if attr.period_start else None,
                    "period_end": attr.period_end.isoformat() if attr.period_end else None,
                    "as_of": attr.as_of.isoformat() if attr.as_of else None,
                    **layout.to_dict(),
                }
            )
        return out


def _merge_tables(
    metrics: list[Metric], tables: list[tuple[PlacedTable, list[TableMetric]]]
) -> tuple[list[Metric], list[CellProvenance | None], list[Link]]:
    """The running-text metrics and the table metrics, in text order, `modifies` re-indexed, and the tables'
    part-of-total links (`transforms.tables.part_links`) as indices into the merged list.

    A cell read as a table metric is read only as that: a running-text reading of the same characters is dropped,
    so no figure is counted twice. Other text in a table (a note, a cell of prose) keeps its running-text metrics.
    """
    cells = sorted(
        (cell.start, cell.end)
        for t, found in tables
        for cell in (t.rows[tm.provenance.row_index][tm.provenance.column_index] for tm in found)
    )
    items: list[tuple[Metric, CellProvenance | None, tuple[int, int]]] = []
    for i, m in enumerate(metrics):
        j = bisect_right(cells, (m.start, 1 << 62)) - 1
        if not (0 <= j < len(cells) and cells[j][0] <= m.start < max(cells[j][1], cells[j][0] + 1)):
            items.append((m, None, (-1, i)))
    for t, found in tables:
        items.extend((tm.metric, tm.provenance, (t.index, j)) for j, tm in enumerate(found))
    items.sort(key=lambda item: (item[0].start, item[0].end))
    new_index = {key: n for n, (_, _, key) in enumerate(items)}
    out: list[Metric] = []
    for m, _cell, (table, _) in items:
        target = new_index.get((table, m.modifies)) if m.modifies is not None else None
        out.append(m if target == m.modifies else m._replace(modifies=target))
    links = [
        Link(new_index[(t.index, part)], new_index[(t.index, total)], "part_of")
        for t, found in tables
        for part, total in part_links(found)
    ]
    return out, [provenance for _, provenance, _ in items], links


def _cell_layout(layout: Layout, offset: int, page: int | None) -> MetricLayout:
    """The layout of a running-text metric inside a table that is not read as a table metric (a note, prose)."""
    for table in layout.tables:
        if table.start <= offset <= table.end:
            for row in table.rows:
                for cell in row:
                    if cell.start <= offset < cell.end:
                        return MetricLayout(page, "table_cell", table.index, cell.row, cell.column)
    return MetricLayout(page, "table_cell")


def _metric_layouts(layout: Layout, metrics: list[Metric], cells: list[CellProvenance | None]) -> list[MetricLayout]:
    out = []
    for m, cell in zip(metrics, cells, strict=True):
        page = layout.page_at(m.start)
        if cell is not None:
            out.append(
                MetricLayout(
                    page,
                    "table_cell",
                    cell.table_index,
                    cell.row_index,
                    cell.column_index,
                    cell.row_label,
                    cell.column_heading,
                    cell.period_label,
                )
            )
            continue
        block = layout.block_at(m.start)
        if block is not None and block.kind == "table":
            out.append(_cell_layout(layout, m.start, page))
            continue
        out.append(MetricLayout(page, None if block is None else block.kind))
    return out


__all__ = ["Analysis", "DeadlineExceeded", "MetricLayout", "analyse"]


def analyse(
    text: str,
    catalog: Catalog | None = None,
    layout: Layout | None = None,
    *,
    source_name: str | None = None,
    deadline: float | None = None,
) -> Analysis:
    """Read one document's decoded text (offsets in the result point into `text`).

    `source_name`, the file's name, dates a document whose text states no date. Lone surrogates (undecodable
    bytes kept by `surrogateescape`) are read as U+FFFD, which keeps every offset. With a `deadline` (a
    `time.monotonic()` value), `DeadlineExceeded` is raised once it has passed: the clock is read between the
    stages and every few hundred candidate numbers, so a document overruns its limit by at most one stage of its
    reading (each stage takes time linear in the text).

    With the document's `layout` (PDF, Word, web page), its data tables are read cell by cell
    (`transforms.tables`): each figure is a metric with its row label and column heading, and a period named in a
    column heading overrides the one attribution reads from the text; every metric gets its layout provenance.
    """
    text = clean_text(text)
    catalog = catalog or load_catalog()
    meta = document_metadata(text, source_name)
    check_deadline(deadline)
    metrics = extract_metrics(text, deadline=deadline)
    check_deadline(deadline)
    cells: list[CellProvenance | None] = [None] * len(metrics)
    table_links: list[Link] = []
    if layout is not None and layout.tables:
        day = meta.published_at.date() if meta.published_at is not None else None
        read = [
            (t, table_metrics(t, day, None if t.continues is None else layout.tables[t.continues]))
            for t in layout.tables
        ]
        metrics, cells, table_links = _merge_tables(metrics, read)
    codes, links = annotate(text, metrics, catalog)
    known = {(link.source, link.target, link.relation) for link in links}
    links += [link for link in table_links if (link.source, link.target, link.relation) not in known]
    check_deadline(deadline)
    attributions = attribute(text, [(m.start, m.end) for m in metrics], meta, [m.modifies for m in metrics])
    if len(attributions) == len(metrics):
        attributions = [
            replace(a, period_start=c.period_start, period_end=c.period_end)
            if c is not None and c.period_start is not None
            else a
            for a, c in zip(attributions, cells, strict=True)
        ]
    codes = reported_codes(codes, attributions, catalog)
    codes = bare_verb_codes(codes, metrics, attributions, catalog)
    layouts = _metric_layouts(layout, metrics, cells) if layout is not None else [NO_LAYOUT] * len(metrics)
    return Analysis(meta, metrics, codes, attributions, links, layouts)


# Bodies that report their own caseload; summaries by political-legal committees and governments cite everyone's.
_CASE_HANDLERS = frozenset({"court", "procuratorate", "police", "justice", "discipline"})


def reported_codes(codes: list[str | None], attributions: list[Attribution], catalog: Catalog) -> list[str | None]:
    """`codes` without the indicators the figure's body does not report: a court's `刑事案件262件` is a caseload,
    not the police's count of criminal incidents, so an indicator whose catalog entry names the kinds of body
    that report it keeps a figure of a case-handling body (court, procuratorate, police, justice, discipline) only
    when that body's kind is one of them; figures of political-legal committees, governments and unknown bodies,
    which cite every body's work, keep their code. A wrong indicator is worse than none."""
    out: list[str | None] = []
    for code, attr in zip(codes, attributions, strict=True):
        indicator = catalog.by_code.get(code) if code else None
        kinds = indicator.org_kinds if indicator else ()
        # the political-legal system is every such body: its indicators (学习教育, 顽瘴痼疾) are reported by all
        foreign = (
            kinds and "political_legal" not in kinds and attr.org_kind in _CASE_HANDLERS and attr.org_kind not in kinds
        )
        out.append(None if foreign else code)
    return out


def bare_verb_codes(
    codes: list[str | None], metrics: list[Metric], attributions: list[Attribution], catalog: Catalog
) -> list[str | None]:
    """`codes` with an indicator for the figures whose subject is a verb alone that its body's kind names one for
    (`catalog.json` `bare_verbs`: `立案369件` of a discipline body files discipline cases), where none was found;
    the changes of such a figure take that indicator's change."""
    out = list(codes)
    for i, (m, attr) in enumerate(zip(metrics, attributions, strict=True)):
        if out[i] is None and m.kind == "count":
            out[i] = catalog.bare_verb_code(m.subject_simplified or m.subject, attr.org_kind, m.unit_family)
    for i, m in enumerate(metrics):
        base = m.modifies
        took = base is not None and 0 <= base < len(out) and codes[base] is None and out[base] is not None
        if out[i] is None and m.kind == "change_pct" and took:  # the base took its indicator here: its change follows
            out[i] = catalog.change_of(out[base], m.unit)  # type: ignore[index]
    return out
