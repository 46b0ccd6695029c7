-- Direction 2, a leading position for Sweden: the contract municipalities, their share of the population,
-- Swedish cities holding the Mission Label and the Nordic-Baltic share of labelled cities.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

population_years as (
    select * from {{ ref('int_population_years') }}
),

population as (
    select * from {{ ref('stg_scb_population__regions') }}
),

mission_cities as (
    select * from {{ ref('stg_mission_cities__cities') }}
),

-- programme and cohort rows for every member at every quarter end
member_groups as (
    select
        period,
        quarter_end_date,
        municipality_code,
        'programme' as geography_type,
        'SE' as geography_code
    from membership
    union all
    select
        period,
        quarter_end_date,
        municipality_code,
        'cohort' as geography_type,
        cast(cohort_year as varchar) as geography_code
    from membership
),

kk_municipalities as (
    select
        'kk_municipalities' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        coalesce(member_groups.geography_type, 'programme') as geography_type,
        coalesce(member_groups.geography_code, 'SE') as geography_code,
        cast(count(member_groups.municipality_code) as double precision) as value,
        cast(null as varchar) as missing_reason,
        cast(null as varchar) as missing_sources,
        cast(null as varchar) as missing_detail
    from quarters
    left join member_groups on quarters.period = member_groups.period
    group by
        quarters.period,
        quarters.quarter_end_date,
        coalesce(member_groups.geography_type, 'programme'),
        coalesce(member_groups.geography_code, 'SE')
),

-- the programme in every quarter (no members yet is a share of 0), each cohort where it has members
share_groups as (
    select
        period,
        quarter_end_date,
        'programme' as geography_type,
        'SE' as geography_code
    from quarters
    union
    select
        period,
        quarter_end_date,
        geography_type,
        geography_code
    from member_groups
),

share_inputs as (
    select
        share_groups.period,
        share_groups.quarter_end_date,
        share_groups.geography_type,
        share_groups.geography_code,
        population_years.population_year,
        min(country.population) as country_population,
        count(member_groups.municipality_code) as members,
        count(member_population.population) as members_with_population,
        cast(sum(member_population.population) as bigint) as member_population
    from share_groups
    left join population_years on share_groups.period = population_years.period
    left join population as country
        on
            population_years.population_year = country.population_year
            and country.region_level = 'country'
    left join member_groups
        on
            share_groups.period = member_groups.period
            and share_groups.geography_type = member_groups.geography_type
            and share_groups.geography_code = member_groups.geography_code
    left join population as member_population
        on
            member_groups.municipality_code = member_population.region_code
            and population_years.population_year = member_population.population_year
    group by
        share_groups.period,
        share_groups.quarter_end_date,
        share_groups.geography_type,
        share_groups.geography_code,
        population_years.population_year
),

kk_population_share as (
    select
        'kk_population_share' as indicator_id,
        period,
        quarter_end_date as period_end_date,
        geography_type,
        geography_code,
        -- a member without a population figure makes the share unknown, not smaller
        case
            when country_population is not null and members_with_population = members
                then 100.0 * cast(coalesce(member_population, 0) as double precision) / country_population
        end as value,
        case
            when population_year is null or country_population is null then 'no_rows_for_period'
            when members_with_population < members then 'population_missing'
        end as missing_reason,
        case
            when population_year is null or country_population is null or members_with_population < members
                then 'scb_population'
        end as missing_sources,
        case
            when country_population is not null and members_with_population < members
                then cast(members - members_with_population as varchar)
        end as missing_detail
    from share_inputs
),

labelled_by_quarter as (
    select
        quarters.period,
        quarters.quarter_end_date,
        mission_cities.country_code
    from quarters
    inner join mission_cities on quarters.quarter_end_date >= mission_cities.label_date
),

mission_label_cities_se as (
    select
        'mission_label_cities_se' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(count(labelled_by_quarter.country_code) as double precision) as value,
        cast(null as varchar) as missing_reason,
        cast(null as varchar) as missing_sources,
        cast(null as varchar) as missing_detail
    from quarters
    left join labelled_by_quarter
        on
            quarters.period = labelled_by_quarter.period
            and labelled_by_quarter.country_code = 'SE'
    group by quarters.period, quarters.quarter_end_date
),

-- before the first Mission Label there is no share to take
nordic_baltic_label_share as (
    select
        'nordic_baltic_label_share' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        100.0 * cast(
            count(labelled_by_quarter.country_code) filter (
                where labelled_by_quarter.country_code in ('SE', 'NO', 'DK', 'FI', 'IS', 'EE', 'LV', 'LT')
            ) as double precision
        )
        / nullif(count(labelled_by_quarter.country_code), 0) as value,
        case when count(labelled_by_quarter.country_code) = 0 then 'no_labelled_cities' end as missing_reason,
        case when count(labelled_by_quarter.country_code) = 0 then 'mission_cities' end as missing_sources,
        cast(null as varchar) as missing_detail
    from quarters
    left join labelled_by_quarter on quarters.period = labelled_by_quarter.period
    group by quarters.period, quarters.quarter_end_date
),

unioned as (
    select * from kk_municipalities
    union all
    select * from kk_population_share
    union all
    select * from mission_label_cities_se
    union all
    select * from nordic_baltic_label_share
)

select * from unioned
