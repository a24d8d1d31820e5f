-- grain: one row per current document × canonical indicator (a null indicator gathers the unmapped mentions)
with metrics as (
    select * from stg_metrics
    where is_current
),

documents as (
    select * from stg_documents
),

final as (
    select
        metrics.doc_id,
        any_value(documents.title) as title,
        any_value(documents.publisher) as publisher,
        any_value(documents.published_on) as published_on,
        any_value(documents.region) as region,
        metrics.indicator_code,
        any_value(metrics.indicator_name_zh) as indicator_name_zh,
        any_value(metrics.indicator_name_en) as indicator_name_en,
        count(*) as mention_count,
        count(*) filter (where metrics.is_headline) as headline_count,
        count(*) filter (where metrics.is_change) as change_count,
        sum(metrics.value) filter (where metrics.is_headline) as value_sum,
        min(metrics.value) filter (where metrics.is_headline) as value_min,
        max(metrics.value) filter (where metrics.is_headline) as value_max,
        arg_min(metrics.mention, metrics.start_offset) as first_mention
    from metrics
    inner join documents on metrics.content_hash = documents.content_hash
    group by metrics.doc_id, metrics.indicator_code
)

select * from final
