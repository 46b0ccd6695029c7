-- Direction 1, knowledge networks and alliances: active international collaborations, events, Swedish cities in
-- the EU Cities Mission and contract municipalities in NetZeroCities pilot programmes.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

mission_cities as (
    select * from {{ ref('stg_mission_cities__cities') }}
),

engagements as (
    select * from {{ ref('stg_engagement_log__engagements') }}
),

pilot_awards as (
    select * from {{ ref('fct_funding_records') }}
    where instrument_code = 'NZC_PILOT' and status = 'awarded'
),

-- alliances, agreements and networks running at the quarter's end
active_collaborations as (
    select
        'active_collaborations' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(count(engagements.engagement_id) as double precision) as value
    from quarters
    left join engagements
        on
            engagements.engagement_type in ('alliance', 'agreement', 'network')
            and quarters.quarter_end_date >= engagements.started_on
            and (engagements.ended_on is null or quarters.quarter_end_date <= engagements.ended_on)
    group by quarters.period, quarters.quarter_end_date
),

international_events as (
    select
        'international_events_quarter' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(count(engagements.engagement_id) as double precision) as value
    from quarters
    left join engagements
        on
            engagements.engagement_type = 'event'
            and engagements.started_on between quarters.quarter_start_date and quarters.quarter_end_date
    group by quarters.period, quarters.quarter_end_date
),

-- the 112 cities were selected together, announced on 28 April 2022
swedish_mission_cities as (
    select
        'swedish_mission_cities' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(count(mission_cities.city_name) as double precision) as value
    from quarters
    left join mission_cities
        on
            mission_cities.country_code = 'SE'
            and quarters.quarter_end_date >= date '{{ var("mission_selection_date") }}'
    group by quarters.period, quarters.quarter_end_date
),

-- members at the quarter's end holding an awarded NetZeroCities pilot grant decided by then
pilot_members as (
    select distinct
        membership.period,
        membership.municipality_code
    from membership
    inner join pilot_awards
        on
            membership.municipality_code = pilot_awards.municipality_code
            and membership.quarter_end_date >= pilot_awards.decision_date
),

nzc_pilot_municipalities as (
    select
        'nzc_pilot_municipalities' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(count(pilot_members.municipality_code) as double precision) as value
    from quarters
    left join pilot_members on quarters.period = pilot_members.period
    group by quarters.period, quarters.quarter_end_date
),

unioned as (
    select * from active_collaborations
    union all
    select * from international_events
    union all
    select * from swedish_mission_cities
    union all
    select * from nzc_pilot_municipalities
)

-- a count over a delivered source is complete for every quarter (zero is a count); an undelivered source makes
-- the whole series missing, which fct_indicator_values decides from the source states
select
    *,
    cast(null as varchar) as missing_reason,
    cast(null as varchar) as missing_sources,
    cast(null as varchar) as missing_detail
from unioned
