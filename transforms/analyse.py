"""Everything read from one document's text: its metadata, its metrics, and for each metric its canonical
indicator, its attribution (organisation, region, period) and its relations to other metrics.

This is the one place that composes the extractor, the indicator catalog and attribution, so that the flow and
`report-metrics extract` always agree.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from transforms.attribution import Attribution, attribute
from transforms.extract import DeadlineExceeded, Metric, check_deadline, clean_text, extract_metrics
from transforms.formats.blocks import Layout, PlacedTable
from transforms.indicators import Catalog, Link, annotate, load_catalog
from transforms.metadata import DocumentMeta, document_metadata
from transforms.record import NO_LAYOUT, MetricLayout, MetricLink, MetricRecord, metric_id
from transforms.tables import CellProvenance, TableMetric, part_links, table_metrics

# Characters of context kept on each side of a mention, within its sentence.
CONTEXT_CHARS = 60


@dataclass(frozen=True, slots=True)
class Analysis:
    """One document's reading: its metadata, one complete record per metric in text order, and the relations
    between its metrics (sorted, so that they come out the same whatever process read them)."""

    meta: DocumentMeta
    records: list[MetricRecord]
    links: list[MetricLink]


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


__all__ = ["Analysis", "DeadlineExceeded", "MetricLayout", "MetricLink", "MetricRecord", "analyse"]


def analyse(
    text: str,
    catalog: Catalog | None = None,
    layout: Layout | None = None,
    *,
    source_name: str | None = None,
    content_hash: str = "",
    deadline: float | None = None,
) -> Analysis:
    """Read one document's decoded text (offsets in the result point into `text`).

    `source_name`, the document's name, is the records' `doc_id` and dates a document whose text states no date.
    Metric ids are made of `content_hash`, the SHA-256 of the document's file (without it, of a text read on its
    own, a metric's id is its span: `:6:11`). Lone surrogates (undecodable bytes kept by `surrogateescape`) are
    read as U+FFFD, which keeps every offset. With a `deadline` (a `time.monotonic()` value), `DeadlineExceeded` is
    raised once it has passed: the clock is read between the stages and every few hundred candidate numbers, so a
    document overruns its limit by at most one stage of its reading (each stage takes time linear in the text).

    With the document's `layout` (PDF, Word, web page), its data tables are read cell by cell
    (`transforms.tables`): each figure is a metric with its row label and column heading, and a period named in a
    column heading overrides the one attribution reads from the text; every metric gets its layout provenance.
    """
    original, text = text, clean_text(text)
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
    doc_id = source_name or ""
    ids = [metric_id(content_hash, m.start, m.end) for m in metrics]
    records = [
        _record(original, doc_id, content_hash, ids, i, *parts, catalog)
        for i, parts in enumerate(zip(metrics, codes, attributions, layouts, strict=True))
    ]
    links = [MetricLink(ids[link.source], ids[link.target], link.relation, content_hash) for link in links]
    return Analysis(meta, records, sorted(links))


def _record(
    text: str,
    doc_id: str,
    content_hash: str,
    ids: list[str],
    i: int,
    m: Metric,
    code: str | None,
    attribution: Attribution,
    layout: MetricLayout,
    catalog: Catalog,
) -> MetricRecord:
    """The record of `m`, the `i`th of the metrics of `text` whose ids are `ids` (the index `m.modifies` is
    resolved to an id), with the text around it (within its sentence, `CONTEXT_CHARS` on each side) and under
    its span."""
    inside = 0 <= m.start <= m.end <= len(text)
    lo = max(m.sentence_start, m.start - CONTEXT_CHARS)
    hi = min(max(m.sentence_end, m.end), m.end + CONTEXT_CHARS)
    base = m.modifies
    return MetricRecord(  # in the order of its fields: made positionally, for every metric
        doc_id,
        content_hash,
        ids[i],
        m,
        ids[base] if base is not None and 0 <= base < len(ids) else None,  # modifies_metric_id
        code,
        catalog.name(code),
        attribution,
        layout,
        text[lo:hi].strip() if inside else None,  # context
        text[m.start : m.end] if inside else None,  # source_slice
        len(text),
    )


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
