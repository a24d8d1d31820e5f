-- grain: one row per region × canonical indicator, over the headline figures of current documents
with metrics as (
    select * from stg_metrics
    where is_current and is_headline and indicator_code is not null
),

final as (
    select
        region,
        region_code,
        indicator_code,
        any_value(indicator_name_zh) as indicator_name_zh,
        any_value(indicator_name_en) as indicator_name_en,
        any_value(unit_family) as unit_family,
        count(*) as mention_count,
        count(distinct doc_id) as document_count,
        sum(value) filter (where kind in ('count', 'amount', 'measure')) as value_sum,
        min(value) as value_min,
        max(value) as value_max,
        avg(value) as value_avg,
        -- a complete ordering, so that every client and run reads the same figure (see the column comment)
        first(value order by reference_date desc nulls last, doc_id desc, start_offset, metric_id) as latest_value,
        max(reference_date) as latest_reference_date
    from metrics
    group by region, region_code, indicator_code
)

select * from final
