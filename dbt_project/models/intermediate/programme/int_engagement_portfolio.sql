-- The engagements that make up the international portfolio at each quarter's end: the alliances, agreements and
-- networks running then, and the events of the four quarters up to it. A view of the strategy's principles:
-- several levels at once (multi-level governance), a portfolio across the three directions.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

engagements as (
    select * from {{ ref('stg_engagement_log__engagements') }}
),

final as (
    select
        quarters.period,
        quarters.quarter_end_date,
        engagements.*
    from quarters
    inner join engagements
        on
            (
                engagements.engagement_type in ('alliance', 'agreement', 'network')
                and quarters.quarter_end_date >= engagements.started_on
                and (engagements.ended_on is null or quarters.quarter_end_date <= engagements.ended_on)
            )
            or (
                engagements.engagement_type = 'event'
                and quarters.quarter_end_date >= engagements.started_on
                and engagements.started_on > quarters.quarter_end_date - interval '1 year'
            )
)

select * from final
