-- grain: one row per metric mention of a document version in the warehouse
with metrics as (
    select * from metrics
),

documents as (
    select * from stg_documents
),

indicators as (
    select indicator_code, name_zh, name_en from indicators
),

link_flags as (
    select
        metric_id,
        bool_or(relation = 'part_of') as is_part,
        bool_or(relation = 'resolved_of') as is_resolved
    from metric_links
    group by metric_id
),

final as (
    select
        metrics.metric_id,
        metrics.doc_id,
        metrics.content_hash,
        documents.title as document_title,
        documents.is_current,
        metrics.mention,
        metrics.value,
        metrics.value_high,
        metrics.unit,
        metrics.unit_family,
        metrics.approx,
        metrics.kind,
        coalesce(metrics.subject_simplified, metrics.subject) as subject,
        metrics.indicator_code,
        indicators.name_zh as indicator_name_zh,
        indicators.name_en as indicator_name_en,
        metrics.org,
        metrics.org_kind,
        coalesce(metrics.region, documents.region) as region,
        coalesce(metrics.region_code, documents.region_code) as region_code,
        metrics.period_start,
        metrics.period_end,
        metrics.as_of,
        coalesce(metrics.as_of, metrics.period_end, documents.published_on) as reference_date,
        metrics.modifies_metric_id is not null as is_change,
        coalesce(link_flags.is_part, false) as is_part,
        coalesce(link_flags.is_resolved, false) as is_resolved,
        metrics.modifies_metric_id is null
        and not coalesce(link_flags.is_part, false)
        and metrics.kind in ('count', 'amount', 'measure', 'percent') as is_headline,
        metrics.start_offset,
        metrics.end_offset,
        metrics.sentence_start,
        metrics.sentence_end,
        metrics.context,
        metrics.page_number,
        metrics.block_kind,
        metrics.table_index,
        metrics.table_row,
        metrics.table_column,
        metrics.row_label,
        metrics.column_heading,
        metrics.heading_period
    from metrics
    inner join documents on metrics.content_hash = documents.content_hash
    left join indicators on metrics.indicator_code = indicators.indicator_code
    left join link_flags on metrics.metric_id = link_flags.metric_id
)

select * from final
