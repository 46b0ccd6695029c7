-- Each indicator's value per period and geography (programme, cohort), before targets and status.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('int_programme_membership') }}
),

population as (
    select * from {{ ref('stg_scb_population__regions') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

funding as (
    select * from {{ ref('fct_funding_records') }}
    where status = 'awarded' and instrument_scope = 'international'
),

emissions as (
    select * from {{ ref('fct_municipality_emissions_yearly') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

-- the newest SCB year whose 31 December falls on or before each quarter's end
population_year as (
    select
        quarters.period,
        max(population.population_year) as population_year
    from quarters
    inner join population
        on make_date(population.population_year, 12, 31) <= quarters.quarter_end_date
    where population.region_level = 'country'
    group by quarters.period
),

kk_municipalities as (
    select
        'kk_municipalities' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(count(membership.municipality_code) as double) as value
    from quarters
    left join membership on quarters.period = membership.period
    group by quarters.period, quarters.quarter_end_date
),

kk_municipalities_by_cohort as (
    select
        'kk_municipalities' as indicator_id,
        membership.period,
        membership.quarter_end_date as period_end_date,
        'cohort' as geography_type,
        cast(membership.cohort_year as varchar) as geography_code,
        cast(count(*) as double) as value
    from membership
    group by membership.period, membership.quarter_end_date, membership.cohort_year
),

kk_population_share as (
    select
        'kk_population_share' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        100.0 * (
            select sum(member_population.population)
            from membership
            inner join population as member_population
                on
                    membership.municipality_code = member_population.region_code
                    and member_population.population_year = population_year.population_year
            where membership.period = quarters.period
        ) / country.population as value
    from quarters
    inner join population_year on quarters.period = population_year.period
    inner join population as country
        on
            country.region_level = 'country'
            and population_year.population_year = country.population_year
),

mission_label_cities_se as (
    select
        'mission_label_cities_se' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(count(municipalities.municipality_code) as double) as value
    from quarters
    left join municipalities
        on
            municipalities.is_mission_city
            and quarters.quarter_end_date >= municipalities.label_date
    group by quarters.period, quarters.quarter_end_date
),

intl_funding_quarter as (
    select
        'intl_funding_awarded_msek_quarter' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        coalesce(sum(cast(funding.amount_sek as decimal(38, 2))), 0) / 1000000 as value
    from quarters
    left join funding
        on funding.decision_date between quarters.quarter_start_date and quarters.quarter_end_date
    group by quarters.period, quarters.quarter_end_date
),

intl_funding_cumulative as (
    select
        'intl_funding_awarded_msek_cumulative' as indicator_id,
        period,
        period_end_date,
        geography_type,
        geography_code,
        sum(value) over (order by period_end_date rows between unbounded preceding and current row) as value
    from intl_funding_quarter
),

-- emissions of today's members (the last quarter's membership) in every year: a like-for-like series
current_members as (
    select
        membership.municipality_code,
        membership.cohort_year
    from membership
    where membership.period = (select max(quarters.period) from quarters)
),

member_emissions as (
    select
        emissions.emission_year,
        current_members.cohort_year,
        emissions.emissions_t
    from emissions
    inner join current_members on emissions.municipality_code = current_members.municipality_code
),

-- a year where any member lacks a value has no total: missing is never summed as zero
emissions_by_geography as (
    select
        emission_year,
        'programme' as geography_type,
        'SE' as geography_code,
        case when count(emissions_t) = count(*) then sum(emissions_t) end as emissions_t
    from member_emissions
    group by emission_year
    union all
    select
        emission_year,
        'cohort' as geography_type,
        cast(cohort_year as varchar) as geography_code,
        case when count(emissions_t) = count(*) then sum(emissions_t) end as emissions_t
    from member_emissions
    group by emission_year, cohort_year
),

kk_emissions_kt as (
    select
        'kk_emissions_kt' as indicator_id,
        cast(emission_year as varchar) as period,
        make_date(emission_year, 12, 31) as period_end_date,
        geography_type,
        geography_code,
        cast(emissions_t as double) / 1000 as value
    from emissions_by_geography
),

kk_emissions_change_pct as (
    select
        'kk_emissions_change_pct' as indicator_id,
        cast(current_year.emission_year as varchar) as period,
        make_date(current_year.emission_year, 12, 31) as period_end_date,
        current_year.geography_type,
        current_year.geography_code,
        100.0 * (cast(current_year.emissions_t as double) / nullif(cast(base_year.emissions_t as double), 0) - 1)
            as value
    from emissions_by_geography as current_year
    inner join emissions_by_geography as base_year
        on
            current_year.geography_type = base_year.geography_type
            and current_year.geography_code = base_year.geography_code
            and base_year.emission_year = (
                select catalogue.baseline_year from catalogue
                where catalogue.indicator_id = 'kk_emissions_change_pct'
            )
),

unioned as (
    select * from kk_municipalities
    union all
    select * from kk_municipalities_by_cohort
    union all
    select * from kk_population_share
    union all
    select * from mission_label_cities_se
    union all
    select * from intl_funding_quarter
    union all
    select * from intl_funding_cumulative
    union all
    select * from kk_emissions_kt
    union all
    select * from kk_emissions_change_pct
)

select * from unioned
