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
        cast(count(member_groups.municipality_code) as double precision) as value
    from quarters
    left join member_groups on quarters.period = member_groups.period
    group by
        quarters.period,
        quarters.quarter_end_date,
        coalesce(member_groups.geography_type, 'programme'),
        coalesce(member_groups.geography_code, 'SE')
),

kk_population_share as (
    select
        'kk_population_share' as indicator_id,
        member_groups.period,
        member_groups.quarter_end_date as period_end_date,
        member_groups.geography_type,
        member_groups.geography_code,
        -- a member without a population figure makes the share unknown, not smaller
        case
            when count(member_population.population) = count(*)
                then 100.0 * cast(sum(member_population.population) as double precision) / min(country.population)
        end as value
    from member_groups
    inner join population_years on member_groups.period = population_years.period
    inner join population as country
        on
            population_years.population_year = country.population_year
            and country.region_level = 'country'
    left join population as member_population
        on
            member_groups.municipality_code = member_population.region_code
            and population_years.population_year = member_population.population_year
    group by
        member_groups.period, member_groups.quarter_end_date, member_groups.geography_type, member_groups.geography_code
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
        cast(count(labelled_by_quarter.country_code) as double precision) as value
    from quarters
    left join labelled_by_quarter
        on
            quarters.period = labelled_by_quarter.period
            and labelled_by_quarter.country_code = 'SE'
    group by quarters.period, quarters.quarter_end_date
),

nordic_baltic_label_share as (
    select
        'nordic_baltic_label_share' as indicator_id,
        period,
        quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        100.0 * cast(
            count(*) filter (where country_code in ('SE', 'NO', 'DK', 'FI', 'IS', 'EE', 'LV', 'LT')) as double precision
        )
        / count(*) as value
    from labelled_by_quarter
    group by period, quarter_end_date
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
