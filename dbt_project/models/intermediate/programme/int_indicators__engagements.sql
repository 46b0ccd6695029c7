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

no_log as (
    select 'engagement_log: no accepted delivery' as reason
),

measures as (
    select
        per_quarter.period,
        per_quarter.quarter_end_date,
        'engagement_levels_covered' as indicator_id,
        case when delivered.has_log then per_quarter.levels_count end as value,
        case when not delivered.has_log then no_log.reason end as missing_reason
    from per_quarter, delivered, no_log
    {%- for direction in [1, 2, 3] %}
        union all
        select
            per_quarter.period,
            per_quarter.quarter_end_date,
            'engagement_direction_{{ direction }}_share_pct' as indicator_id,
            case
                when delivered.has_log and per_quarter.active_count > 0
                    then 100.0 * per_quarter.direction_{{ direction }}_count / per_quarter.active_count
            end as value,
            case
                when not delivered.has_log then no_log.reason
                when per_quarter.active_count = 0 then 'no engagement active in the quarter'
            end as missing_reason
        from per_quarter, delivered, no_log
    {%- endfor %}
    union all
    select
        per_quarter.period,
        per_quarter.quarter_end_date,
        'intl_system_demonstrators' as indicator_id,
        case when delivered.has_log then per_quarter.system_demonstrator_count end as value,
        case when not delivered.has_log then no_log.reason end as missing_reason
    from per_quarter, delivered, no_log
    union all
    select
        per_quarter.period,
        per_quarter.quarter_end_date,
        'new_initiatives_funded_share_pct' as indicator_id,
        case
            when delivered.has_log and new_initiatives.initiative_count > 0 and new_initiatives.unstated_count = 0
                then 100.0 * new_initiatives.secured_count / new_initiatives.initiative_count
        end as value,
        case
            when not delivered.has_log then no_log.reason
            when new_initiatives.initiative_count = 0
                then 'no new initiative since {{ var("strategy_period_start") }}'
            when new_initiatives.unstated_count > 0
                then new_initiatives.unstated_count || ' new initiative(s) without Grundfinansiering säkrad'
        end as missing_reason
    from per_quarter
    inner join new_initiatives on per_quarter.period = new_initiatives.period
    cross join delivered
    cross join no_log
),

final as (
    select
        indicator_id,
        period,
        quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(value as double) as value,
        missing_reason
    from measures
)

select * from final
