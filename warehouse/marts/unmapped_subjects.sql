-- grain: one row per subject × kind × unit family that maps to no canonical indicator, for curating the catalog
with metrics as (
    select * from stg_metrics
    where is_current and indicator_code is null and not is_change
),

final as (
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
)

select * from final
