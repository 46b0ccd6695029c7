-- The international strategy's principles, measured on the engagement log each quarter: how many of the seven
-- levels the portfolio works at, how it spreads over the three directions, the share of new initiatives whose basic
-- funding was secured, and the international system-demonstrator partnerships. Null with a reason, never 0, when
-- the log has not been delivered.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

engagements as (
    select * from {{ ref('stg_engagement_log__engagements') }}
),

portfolio as (
    select * from {{ ref('int_engagement_portfolio') }}
),

delivered as (
    select count(*) > 0 as has_log from engagements
),

per_quarter as (
    select
        quarters.period,
        quarters.quarter_end_date,
        count(portfolio.engagement_id) as active_count,
        count(distinct portfolio.engagement_level) as levels_count,
        count(portfolio.engagement_id) filter (where portfolio.strategy_direction = 1) as direction_1_count,
        count(portfolio.engagement_id) filter (where portfolio.strategy_direction = 2) as direction_2_count,
        count(portfolio.engagement_id) filter (where portfolio.strategy_direction = 3) as direction_3_count,
        count(portfolio.engagement_id) filter (
            where portfolio.is_system_demonstrator and portfolio.engagement_type <> 'event'
        ) as system_demonstrator_count
    from quarters
    left join portfolio on quarters.period = portfolio.period
    group by quarters.period, quarters.quarter_end_date
),

-- initiatives (alliances, agreements, networks) started in the strategy period up to each quarter's end
new_initiatives as (
    select
        quarters.period,
        count(engagements.engagement_id) as initiative_count,
        count(engagements.engagement_id) filter (where engagements.has_basic_funding_secured) as secured_count,
        count(engagements.engagement_id) filter (where engagements.has_basic_funding_secured is null)
            as unstated_count
    from quarters
    left join engagements
        on
            engagements.engagement_type in ('alliance', 'agreement', 'network')
            and engagements.started_on >= date '{{ var("strategy_period_start") }}'
            and quarters.quarter_end_date >= engagements.started_on
    where quarters.quarter_end_date >= date '{{ var("strategy_period_start") }}'
    group by quarters.period
),

quarter_figures as (
    select
        per_quarter.*,
        new_initiatives.initiative_count,
        new_initiatives.secured_count,
        new_initiatives.unstated_count,
        delivered.has_log
    from per_quarter
    cross join delivered
    left join new_initiatives on per_quarter.period = new_initiatives.period
),

-- each indicator: its value, the reason of its own for none, and the quarters it exists for
{%- set measures = [
    ('engagement_levels_covered', 'levels_count', 'null', 'true'),
    ('intl_system_demonstrators', 'system_demonstrator_count', 'null', 'true'),
    ('new_initiatives_funded_share_pct',
        'case when unstated_count = 0 then 100.0 * secured_count / nullif(initiative_count, 0) end',
        "case when initiative_count = 0 then 'no_new_initiative|" ~ var('strategy_period_start') ~ "'"
        ~ " when unstated_count > 0 then 'initiatives_without_funding_flag|' || unstated_count end",
        'initiative_count is not null'),
] %}
{%- for direction in [1, 2, 3] %}
    {%- do measures.append((
        'engagement_direction_' ~ direction ~ '_share_pct',
        '100.0 * direction_' ~ direction ~ '_count / nullif(active_count, 0)',
        "case when active_count = 0 then 'no_active_engagement|' end",
        'true',
    )) %}
{%- endfor %}
measures as (
    {%- for indicator_id, value, reason, condition in measures %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            period,
            quarter_end_date,
            '{{ indicator_id }}' as indicator_id,
            case when has_log and {{ reason }} is null then {{ value }} end as value,
            -- '<reason>|<detail>', split at the end (reports.missing words it from the labels missing:<reason>)
            case when not has_log then 'source_unavailable|' else {{ reason }} end as missing_reason
        from quarter_figures
        where {{ condition }}
    {%- endfor %}
),

final as (
    select
        indicator_id,
        period,
        quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(value as double precision) as value,
        nullif(split_part(missing_reason, '|', 1), '') as missing_reason,
        case when missing_reason is not null then 'engagement_log' end as missing_sources,
        nullif(split_part(missing_reason, '|', 2), '') as missing_detail
    from measures
)

select * from final
