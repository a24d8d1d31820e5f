-- grain: one row per subject × kind × unit family that maps to no canonical indicator, for curating the catalog;
-- ranked by frequency (the most frequent first)
with metrics as (
    select * from stg_metrics
    where is_current and indicator_code is null and not is_change
),

counted as (
    select
        subject,
        kind,
        unit_family,
        count(*) as mention_count,
        count(distinct doc_id) as document_count,
        arg_min(mention, metric_id) as example_mention,
        arg_min(context, metric_id) as example_context,
        arg_min(doc_id, metric_id) as example_doc_id
    from metrics
    group by subject, kind, unit_family
),

final as (
    select
        rank() over (order by mention_count desc, document_count desc) as frequency_rank,
        *
    from counted
    order by frequency_rank, subject
)

select * from final
