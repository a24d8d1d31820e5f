-- grain: one row per reporting organisation × canonical indicator, over the headline figures of current documents;
-- figures with no organisation get one row per region × indicator (org null), never a region that is not theirs
with metrics as (
    select
        *,
        case when org is null then region end as unattributed_region,
        case when org is null then region_code end as unattributed_region_code
    from stg_metrics
    where is_current and is_headline and indicator_code is not null
),

final as (
    select
        org,
        any_value(org_kind) as org_kind,
        coalesce(any_value(unattributed_region), mode(region)) as region,
        coalesce(any_value(unattributed_region_code), mode(region_code)) as region_code,
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
    group by org, unattributed_region, unattributed_region_code, indicator_code
)

select * from final
