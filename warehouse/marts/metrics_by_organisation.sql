-- grain: one row per reporting organisation × canonical indicator, over the headline figures of current documents
with metrics as (
    select * from stg_metrics
    where is_current and is_headline and indicator_code is not null
),

final as (
    select
        org,
        mode(region) as region,
        mode(region_code) as region_code,
        indicator_code,
        any_value(indicator_name_zh) as indicator_name_zh,
        any_value(indicator_name_en) as indicator_name_en,
        any_value(unit_family) as unit_family,
        count(*) as mention_count,
        count(distinct doc_id) as document_count,
        sum(value) as value_sum,
        min(value) as value_min,
        max(value) as value_max,
        avg(value) as value_avg,
        arg_max(value, coalesce(reference_date, date '1900-01-01')) as latest_value,
        max(reference_date) as latest_reference_date
    from metrics
    group by org, indicator_code
)

select * from final
