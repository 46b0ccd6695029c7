{{ config(materialized='view') }}
-- The evidence behind each figure: every source row that contributes, with its file's SHA-256, original name,
-- sheet, row and vintage. For counts and sums, the contributions add up to the indicator's value; for shares,
-- role says which rows make the numerator and which the denominator. A view: evaluated only when traced.
with

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

funding as (
    select * from {{ ref('fct_funding_records') }}
),

quarters as (
    select * from {{ ref('int_quarters') }}
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

emission_rows as (
    select * from {{ ref('stg_smhi_emissions__municipality_sectors') }}
    where substance = '{{ var("emissions_substance") }}'
),

current_members as (
    select * from membership
    where period = (select max(quarters.period) from quarters)
),

-- emissions rows count towards the programme figure and towards their own municipality's figure
emission_geographies as (
    select
        'programme' as geography_type,
        'SE' as geography_code
    union all
    select
        'municipality' as geography_type,
        '' as geography_code
),

kk_municipalities as (
    select
        'kk_municipalities' as indicator_id,
        period,
        'programme' as geography_type,
        'SE' as geography_code,
        'member' as role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        municipality_code as item,
        source_file_sha256,
        source_file_name,
        cast(null as varchar) as source_sheet,
        source_row,
        vintage_at
    from membership
),

kk_population_share as (
    select
        'kk_population_share' as indicator_id,
        membership.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'numerator: population of a member' as role,
        cast(population.population as double precision) as contribution,
        'scb_population' as source_name,
        population.region_code as item,
        population.source_file_sha256,
        population.source_file_name,
        population.source_sheet,
        population.source_row,
        population.vintage_at
    from membership
    inner join population_years on membership.period = population_years.period
    inner join population
        on
            membership.municipality_code = population.region_code
            and population_years.population_year = population.population_year
    union all
    select
        'kk_population_share' as indicator_id,
        population_years.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'denominator: population of Sweden' as role,
        cast(population.population as double precision) as contribution,
        'scb_population' as source_name,
        population.region_code as item,
        population.source_file_sha256,
        population.source_file_name,
        population.source_sheet,
        population.source_row,
        population.vintage_at
    from population_years
    inner join population
        on
            population_years.population_year = population.population_year
            and population.region_level = 'country'
),

mission_label_cities_se as (
    select
        'mission_label_cities_se' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'labelled Swedish mission city' as role,
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
            and quarters.quarter_end_date >= mission_cities.label_date
),

international_awards as (
    select
        quarters.period,
        funding.decision_date >= quarters.quarter_start_date as is_in_quarter,
        'award (MSEK) at SEK/EUR '
        || coalesce(cast(funding.fx_sek_per_eur as varchar) || ' of ' || funding.fx_rate_date, '-') as role,
        cast(funding.amount_sek as double precision) / 1000000 as contribution,
        funding.record_source as source_name,
        funding.record_id as item,
        funding.source_file_sha256,
        funding.source_file_name,
        funding.source_sheet,
        funding.source_row,
        funding.vintage_at
    from quarters
    inner join funding
        on
            funding.status = 'awarded'
            and funding.instrument_scope = 'international'
            and quarters.quarter_end_date >= funding.decision_date
),

-- every award decided by the quarter's end counts towards the cumulative figure, those of the quarter also
-- towards the quarter's
funding_indicators as (
    select
        'intl_funding_awarded_msek_cumulative' as indicator_id,
        false as quarter_only
    union all
    select
        'intl_funding_awarded_msek_quarter' as indicator_id,
        true as quarter_only
),

intl_funding as (
    select
        indicators.indicator_id,
        international_awards.period,
        'programme' as geography_type,
        'SE' as geography_code,
        international_awards.role,
        international_awards.contribution,
        international_awards.source_name,
        international_awards.item,
        international_awards.source_file_sha256,
        international_awards.source_file_name,
        international_awards.source_sheet,
        international_awards.source_row,
        international_awards.vintage_at
    from international_awards
    inner join funding_indicators as indicators
        on international_awards.is_in_quarter or not indicators.quarter_only
),

kk_emissions as (
    select
        'kk_emissions_kt' as indicator_id,
        cast(emission_rows.emission_year as varchar) as period,
        groups.geography_type,
        groups.geography_code,
        'emissions (kt) of ' || emission_rows.sector_code as role,
        emission_rows.emissions_t / 1000 as contribution,
        'smhi_emissions' as source_name,
        emission_rows.municipality_code as item,
        emission_rows.source_file_sha256,
        emission_rows.source_file_name,
        emission_rows.source_sheet,
        emission_rows.source_row,
        emission_rows.vintage_at
    from emission_rows
    inner join current_members on emission_rows.municipality_code = current_members.municipality_code
    cross join emission_geographies as groups
),

unioned as (
    select * from kk_municipalities
    union all
    select * from kk_population_share
    union all
    select * from mission_label_cities_se
    union all
    select * from intl_funding
    union all
    select
        indicator_id,
        period,
        geography_type,
        case when geography_type = 'municipality' then item else geography_code end as geography_code,
        role,
        contribution,
        source_name,
        item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from kk_emissions
)

select * from unioned
