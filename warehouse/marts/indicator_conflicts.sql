-- grain: one row per figure of current documents whose indicator, organisation, region and period another document
-- also states with a different value (reposts or later reports that disagree)
with figures as (
    select * from stg_metrics
    where is_current and indicator_code is not null
),

keyed as (
    select
        figures.*,
        coalesce(figures.period_end, figures.as_of) as period_end_or_as_of,
        count(distinct figures.doc_id) over series as document_count,
        count(distinct figures.value) over series as distinct_value_count,
        min(figures.value) over series as value_min,
        max(figures.value) over series as value_max
    from figures
    window series as (
        partition by
            figures.indicator_code,
            figures.org,
            figures.region_code,
            figures.period_start,
            coalesce(figures.period_end, figures.as_of)
    )
),

final as (
    select
        keyed.indicator_code,
        keyed.indicator_name_zh as indicator_name,
        keyed.org,
        keyed.region,
        keyed.region_code,
        keyed.period_start,
        keyed.period_end_or_as_of as period_end,
        keyed.doc_id,
        keyed.document_title,
        keyed.metric_id,
        keyed.mention,
        keyed.value,
        keyed.unit,
        keyed.context,
        keyed.document_count,
        keyed.distinct_value_count,
        keyed.value_min,
        keyed.value_max
    from keyed
    where keyed.document_count > 1 and keyed.distinct_value_count > 1
)

select * from final
