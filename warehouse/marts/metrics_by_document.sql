-- grain: one row per document × metric kind
with stg as (
    select * from stg_metrics
),

final as (
    select
        doc_id,
        kind,
        count(*) as metric_count,
        count(distinct subject) as subject_count
    from stg
    group by doc_id, kind
)

select * from final
