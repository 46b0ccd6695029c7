-- Evidence of the indicators of directions 1 and 2 (see rpt_indicator_evidence): engagements, mission cities,
-- NetZeroCities pilot members, contract members and their population against Sweden's.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

funding as (
    select * from {{ ref('fct_funding_records') }}
),

population as (
    select * from {{ ref('stg_scb_population__regions') }}
),

population_years as (
    select * from {{ ref('int_population_years') }}
),

mission_cities as (
    select * from {{ ref('stg_mission_cities__cities') }}
),

engagements as (
    select * from {{ ref('stg_engagement_log__engagements') }}
),

---------- who counts where: the members at each quarter's end, in the programme and in their cohort

member_geographies as (
    select
        *,
        'programme' as geography_type,
        'SE' as geography_code
    from membership
    union all
    select
        *,
        'cohort' as geography_type,
        cast(cohort_year as varchar) as geography_code
    from membership
),

---------- direction 1

-- a labelled Nordic-Baltic city counts in the share's numerator and denominator, every labelled city in the latter
label_share_parts as (
    select
        'numerator' as part,
        'labelled_nordic_baltic_city' as role
    union all
    select
        'denominator' as part,
        'labelled_city' as role
),

engagement_evidence as (
    select
        'active_collaborations' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'active_engagement' as role,
        1.0 as contribution,
        'engagement_log' as source_name,
        engagements.engagement_id || ' ' || engagements.engagement_type || ': ' || engagements.partner_name as item,
        engagements.source_file_sha256,
        engagements.source_file_name,
        cast(null as varchar) as source_sheet,
        engagements.source_row,
        engagements.vintage_at
    from quarters
    inner join engagements
        on
            engagements.engagement_type in ('alliance', 'agreement', 'network')
            and quarters.quarter_end_date >= engagements.started_on
            and (engagements.ended_on is null or quarters.quarter_end_date <= engagements.ended_on)
    union all
    select
        'international_events_quarter' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'event' as role,
        1.0 as contribution,
        'engagement_log' as source_name,
        engagements.engagement_id || ' ' || engagements.started_on || ': ' || engagements.partner_name as item,
        engagements.source_file_sha256,
        engagements.source_file_name,
        cast(null as varchar) as source_sheet,
        engagements.source_row,
        engagements.vintage_at
    from quarters
    inner join engagements
        on
            engagements.engagement_type = 'event'
            and engagements.started_on between quarters.quarter_start_date and quarters.quarter_end_date
),

mission_city_evidence as (
    select
        'swedish_mission_cities' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'swedish_mission_city' as role,
        1.0 as contribution,
        'mission_cities' as source_name,
        mission_cities.city_name as item,
        mission_cities.source_file_sha256,
        mission_cities.source_file_name,
        cast(null as varchar) as source_sheet,
        mission_cities.source_row,
        mission_cities.vintage_at
    from quarters
    inner join mission_cities
        on
            mission_cities.country_code = 'SE'
            and quarters.quarter_end_date >= date '{{ var("mission_selection_date") }}'
    union all
    select
        'mission_label_cities_se' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'labelled_swedish_city' as role,
        1.0 as contribution,
        'mission_cities' as source_name,
        mission_cities.city_name || ' (' || mission_cities.label_date || ')' as item,
        mission_cities.source_file_sha256,
        mission_cities.source_file_name,
        cast(null as varchar) as source_sheet,
        mission_cities.source_row,
        mission_cities.vintage_at
    from quarters
    inner join mission_cities
        on
            mission_cities.country_code = 'SE'
            and quarters.quarter_end_date >= mission_cities.label_date
    union all
    select
        'nordic_baltic_label_share' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        parts.part,
        parts.role,
        1.0 as contribution,
        'mission_cities' as source_name,
        mission_cities.city_name || ', ' || mission_cities.country_code || ' (' || mission_cities.label_date || ')'
            as item,
        mission_cities.source_file_sha256,
        mission_cities.source_file_name,
        cast(null as varchar) as source_sheet,
        mission_cities.source_row,
        mission_cities.vintage_at
    from quarters
    inner join mission_cities on quarters.quarter_end_date >= mission_cities.label_date
    inner join label_share_parts as parts
        on
            parts.part = 'denominator'
            or mission_cities.country_code in ('SE', 'NO', 'DK', 'FI', 'IS', 'EE', 'LV', 'LT')
),

-- a member counts when it holds an awarded NetZeroCities pilot grant decided by the quarter's end: the member's
-- register row is counted, the award rows support it
pilot_awards as (
    select
        membership.period,
        membership.municipality_code,
        funding.record_id,
        funding.record_source,
        funding.source_file_sha256,
        funding.source_file_name,
        funding.source_sheet,
        funding.source_row,
        funding.vintage_at
    from membership
    inner join funding
        on
            membership.municipality_code = funding.municipality_code
            and funding.instrument_code = 'NZC_PILOT'
            and funding.status = 'awarded'
            and membership.quarter_end_date >= funding.decision_date
),

pilot_evidence as (
    select
        'nzc_pilot_municipalities' as indicator_id,
        membership.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'member_with_pilot_grant' as role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        membership.municipality_code as item,
        membership.source_file_sha256,
        membership.source_file_name,
        cast(null as varchar) as source_sheet,
        membership.source_row,
        membership.vintage_at
    from membership
    where
        exists (
            select 1 from pilot_awards
            where
                pilot_awards.period = membership.period
                and pilot_awards.municipality_code = membership.municipality_code
        )
    union all
    select
        'nzc_pilot_municipalities' as indicator_id,
        period,
        'programme' as geography_type,
        'SE' as geography_code,
        'supporting' as part,
        'pilot_grant' as role,
        cast(null as double precision) as contribution,
        record_source as source_name,
        municipality_code || ': ' || record_id as item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from pilot_awards
),

---------- direction 2

member_evidence as (
    select
        'kk_municipalities' as indicator_id,
        period,
        geography_type,
        geography_code,
        'value' as part,
        'member' as role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        municipality_code as item,
        source_file_sha256,
        source_file_name,
        cast(null as varchar) as source_sheet,
        source_row,
        vintage_at
    from member_geographies
),

-- the denominator is Sweden's population in every programme and cohort figure of the quarter
share_geographies as (
    select
        period,
        geography_type,
        geography_code
    from member_geographies
    union
    select
        period,
        'programme' as geography_type,
        'SE' as geography_code
    from quarters
),

population_share_evidence as (
    select
        'kk_population_share' as indicator_id,
        member_geographies.period,
        member_geographies.geography_type,
        member_geographies.geography_code,
        'numerator' as part,
        'member_population' as role,
        cast(population.population as double precision) as contribution,
        'scb_population' as source_name,
        population.region_code || ' ' || population.region_name || ' ' || population.population_year as item,
        population.source_file_sha256,
        population.source_file_name,
        population.source_sheet,
        population.source_row,
        population.vintage_at
    from member_geographies
    inner join population_years on member_geographies.period = population_years.period
    inner join population
        on
            member_geographies.municipality_code = population.region_code
            and population_years.population_year = population.population_year
    union all
    select
        'kk_population_share' as indicator_id,
        share_geographies.period,
        share_geographies.geography_type,
        share_geographies.geography_code,
        'denominator' as part,
        'population_of_sweden' as role,
        cast(population.population as double precision) as contribution,
        'scb_population' as source_name,
        population.region_name || ' ' || population.population_year as item,
        population.source_file_sha256,
        population.source_file_name,
        population.source_sheet,
        population.source_row,
        population.vintage_at
    from share_geographies
    inner join population_years on share_geographies.period = population_years.period
    inner join population
        on
            population_years.population_year = population.population_year
            and population.region_level = 'country'
),

unioned as (
    select * from engagement_evidence
    union all
    select * from mission_city_evidence
    union all
    select * from pilot_evidence
    union all
    select * from member_evidence
    union all
    select * from population_share_evidence
)

select * from unioned
