-- grain: one row per indicator × organisation × region × period, over the figures of current documents that map to
-- an indicator; when several documents state the figure, the most recently published one is shown, with the change
-- (同比) that any of them links to it
with figures as (
    select * from stg_metrics
    where is_current and indicator_code is not null
),

changes as (
    -- a change (同比上升249%) and the figure it modifies
    select
        modifies_metric_id as base_metric_id,
        arg_min(metric_id, start_offset) as change_metric_id,
        arg_min(indicator_code, start_offset) as change_indicator_code,
        arg_min(value, start_offset) as change_value,
        arg_min(unit, start_offset) as change_unit,
        arg_min(mention, start_offset) as change_mention
    from metrics
    where modifies_metric_id is not null
    group by modifies_metric_id
),

published as (
    select content_hash, published_on from stg_documents
),

keyed as (
    select
        figures.*,
        coalesce(figures.period_end, figures.as_of) as period_end_or_as_of,
        published.published_on,
        count(*) over series as mention_count,
        count(distinct figures.doc_id) over series as document_count,
        count(distinct figures.value) over series as distinct_value_count,
        first_value(changes.change_metric_id ignore nulls) over latest as change_metric_id,
        first_value(changes.change_indicator_code ignore nulls) over latest as change_indicator_code,
        first_value(changes.change_value ignore nulls) over latest as change_value,
        first_value(changes.change_unit ignore nulls) over latest as change_unit,
        first_value(changes.change_mention ignore nulls) over latest as change_mention,
        row_number() over latest as pick
    from figures
    inner join published on figures.content_hash = published.content_hash
    left join changes on figures.metric_id = changes.base_metric_id
    window
        series as (
            partition by
                figures.indicator_code,
                figures.org,
                figures.region_code,
                figures.period_start,
                coalesce(figures.period_end, figures.as_of)
        ),
        latest as (
            series
            order by published.published_on desc nulls last, figures.doc_id, figures.start_offset
            rows between unbounded preceding and unbounded following
        )
),

final as (
    select
        keyed.indicator_code,
        indicators.name_zh as indicator_name,
        indicators.name_en as indicator_name_en,
        keyed.org,
        keyed.org_kind,
        keyed.region,
        keyed.region_code,
        keyed.period_start,
        keyed.period_end_or_as_of as period_end,
        keyed.as_of is not null as is_stock,
        keyed.value,
        keyed.unit,
        keyed.kind,
        keyed.mention,
        keyed.metric_id,
        keyed.doc_id,
        keyed.document_title,
        keyed.published_on,
        keyed.change_metric_id,
        keyed.change_indicator_code,
        keyed.change_value,
        keyed.change_unit,
        keyed.change_mention,
        keyed.mention_count,
        keyed.document_count,
        keyed.distinct_value_count > 1 as has_conflict
    from keyed
    inner join indicators on keyed.indicator_code = indicators.indicator_code
    where keyed.pick = 1
)

select * from final
