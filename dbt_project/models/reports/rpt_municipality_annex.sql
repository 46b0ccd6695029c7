-- Annex: for every report quarter, one row per municipality in the programme at the quarter's end, with its
-- cohort, population, emissions (the newest year ended before the quarter), per inhabitant, change since the
-- baseline, on-track assessment, mission-city status and funding decided by the quarter's end.
with

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

progress as (
    select * from {{ ref('fct_municipality_emission_progress') }}
),

population as (
    select * from {{ ref('stg_scb_population__regions') }}
    where region_level = 'municipality'
),

funding as (
    select * from {{ ref('fct_funding_records') }}
    where status = 'awarded'
),

newest_progress as (
    select distinct on (membership.period, membership.municipality_code)
        membership.period,
        progress.*
    from membership
    inner join progress
        on
            membership.municipality_code = progress.municipality_code
            and membership.quarter_end_date >= make_date(cast(progress.emission_year as integer), 12, 31)
    order by membership.period asc, membership.municipality_code asc, progress.emission_year desc
),

newest_population as (
    select distinct on (membership.period, membership.municipality_code)
        membership.period,
        population.region_code,
        population.population_year,
        population.population
    from membership
    inner join population
        on
            membership.municipality_code = population.region_code
            and membership.quarter_end_date >= make_date(cast(population.population_year as integer), 12, 31)
    order by membership.period asc, membership.municipality_code asc, population.population_year desc
),

funding_to_date as (
    select
        membership.period,
        membership.municipality_code,
        -- decimal sums are exact: a double sum depends on the threads' order once there are many records, and
        -- the same input must give the same workbook
        cast(sum(funding.amount_sek) filter (
            where funding.instrument_scope = 'international'
        ) as double precision) / 1000000 as international_msek,
        cast(sum(funding.amount_sek) filter (
            where funding.instrument_scope = 'national' and not funding.is_green_loan
        ) as double precision) / 1000000 as national_msek,
        cast(sum(funding.amount_sek) filter (where funding.is_green_loan) as double precision)
        / 1000000 as green_loans_msek
    from membership
    inner join funding
        on
            membership.municipality_code = funding.municipality_code
            and membership.quarter_end_date >= funding.decision_date
    group by membership.period, membership.municipality_code
),

final as (
    select
        membership.period as report_quarter,
        membership.municipality_code,
        municipalities.municipality_name,
        municipalities.county_name,
        membership.cohort_year,
        membership.joined_date,
        newest_population.population_year,
        newest_population.population,
        newest_progress.emission_year,
        newest_progress.emissions_t,
        newest_progress.emissions_t_per_capita,
        newest_progress.change_since_baseline_pct,
        newest_progress.achieved_yearly_change_pct,
        newest_progress.required_yearly_change_pct,
        newest_progress.is_on_track,
        municipalities.is_mission_city,
        municipalities.label_round,
        case when municipalities.label_date <= membership.quarter_end_date then municipalities.label_date end
            as label_date,
        municipalities.ccc_status,
        coalesce(funding_to_date.international_msek, 0) as international_funding_msek,
        coalesce(funding_to_date.national_msek, 0) as national_funding_msek,
        coalesce(funding_to_date.green_loans_msek, 0) as green_loans_msek
    from membership
    inner join municipalities on membership.municipality_code = municipalities.municipality_code
    left join newest_progress
        on
            membership.period = newest_progress.period
            and membership.municipality_code = newest_progress.municipality_code
    left join newest_population
        on
            membership.period = newest_population.period
            and membership.municipality_code = newest_population.region_code
    left join funding_to_date
        on
            membership.period = funding_to_date.period
            and membership.municipality_code = funding_to_date.municipality_code
)

select * from final
