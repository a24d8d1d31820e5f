-- grain: one row per recomputable statement: a stated rate, a 其中 total, or an 已-resolved count and its base
with metrics as (
    select * from stg_metrics
    where is_current
),

links as (
    select * from metric_links
),

rate_parts as (
    select
        links.metric_id,
        links.relation,
        part.value,
        part.mention,
        part.start_offset
    from links
    inner join metrics as part on links.related_metric_id = part.metric_id
    where links.relation in ('numerator', 'denominator')
),

rate_sums as (
    select
        metric_id,
        sum(value) filter (where relation = 'numerator') as numerator,
        sum(value) filter (where relation = 'denominator') as denominator,
        string_agg(mention, ' + ' order by start_offset) filter (where relation = 'numerator') as numerator_text,
        string_agg(mention, ' + ' order by start_offset) filter (where relation = 'denominator') as denominator_text,
        count(*) filter (where relation = 'denominator') as denominator_terms
    from rate_parts
    group by metric_id
),

rate_checks as (
    select
        'rate_from_counts' as check_name,
        'stated rate = 100 × numerator / denominator' as rule,
        rate.metric_id,
        rate_sums.numerator_text || ' / '
        || case
            when rate_sums.denominator_terms > 1 then '(' || rate_sums.denominator_text || ')'
            else rate_sums.denominator_text
        end as recomputed_from,
        cast(100 * rate_sums.numerator / rate_sums.denominator as decimal(38, 6)) as recomputed_value,
        0.5 * pow(10, -length(coalesce(regexp_extract(rate.mention, '\.(\d+)', 1), ''))) as tolerance
    from rate_sums
    inner join metrics as rate on rate_sums.metric_id = rate.metric_id
    where rate_sums.numerator is not null and rate_sums.denominator > 0
),

part_checks as (
    select
        'parts_within_total' as check_name,
        'sum of 其中 parts ≤ total' as rule,
        links.related_metric_id as metric_id,
        string_agg(part.mention, ' + ' order by part.start_offset) as recomputed_from,
        sum(part.value) as recomputed_value,
        0.0 as tolerance
    from links
    inner join metrics as part on links.metric_id = part.metric_id
    where links.relation = 'part_of'
    group by links.related_metric_id
),

resolved_checks as (
    select
        'resolved_within_collected' as check_name,
        'resolved count ≤ the count it was resolved of' as rule,
        links.related_metric_id as metric_id,
        resolved.mention as recomputed_from,
        resolved.value as recomputed_value,
        0.0 as tolerance
    from links
    inner join metrics as resolved on links.metric_id = resolved.metric_id
    where links.relation = 'resolved_of'
),

checks as (
    select * from rate_checks
    union all
    select * from part_checks
    union all
    select * from resolved_checks
),

final as (
    select
        checks.check_name,
        stated.doc_id,
        checks.metric_id,
        stated.mention as stated_mention,
        stated.value as stated_value,
        checks.recomputed_from,
        checks.recomputed_value,
        stated.value - checks.recomputed_value as gap,
        cast(checks.tolerance as double) as tolerance,
        case
            when checks.check_name = 'rate_from_counts'
                then abs(stated.value - checks.recomputed_value) <= checks.tolerance
            else checks.recomputed_value <= stated.value
        end as is_consistent,
        checks.rule,
        stated.indicator_code,
        stated.subject,
        stated.context
    from checks
    inner join metrics as stated on checks.metric_id = stated.metric_id
)

select * from final
