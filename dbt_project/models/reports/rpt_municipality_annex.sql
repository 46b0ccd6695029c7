-- Annex: for every report quarter, one row per municipality in the programme at the quarter's end, with its
-- cohort, population, emissions (the newest year ended before the quarter), per inhabitant, change since the
-- baseline, on-track assessment, mission-city status and funding decided by the quarter's end.
-- Funding is missing, not zero, when a source it sums has no accepted data (funding_missing_sources) or an award
-- in EUR has no exchange rate: zero means the delivered sources hold no award for the municipality.
with

source_states as (
    select * from {{ ref('int_source_states') }}
),

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
    select
        membership.period,
        progress.*
    from membership
    inner join progress
        on
            membership.municipality_code = progress.municipality_code
            and membership.quarter_end_date >= make_date(progress.emission_year, 12, 31)
    qualify row_number() over (
        partition by membership.period, membership.municipality_code order by progress.emission_year desc
    ) = 1
),

newest_population as (
    select
        membership.period,
        population.region_code,
        population.population_year,
        population.population
    from membership
    inner join population
        on
            membership.municipality_code = population.region_code
            and membership.quarter_end_date >= make_date(population.population_year, 12, 31)
    qualify row_number() over (
        partition by membership.period, membership.municipality_code order by population.population_year desc
    ) = 1
),

funding_to_date as (
    select
        membership.period,
        membership.municipality_code,
        -- decimal sums are exact: a double sum depends on the threads' order once there are many records, and
        -- the same input must give the same workbook
        cast(sum(cast(funding.amount_sek as decimal(38, 6))) filter (
            where funding.instrument_scope = 'international'
        ) as double) / 1000000 as international_msek,
        cast(sum(cast(funding.amount_sek as decimal(38, 6))) filter (
            where funding.instrument_scope = 'national' and not funding.is_green_loan
        ) as double) / 1000000 as national_msek,
        cast(sum(cast(funding.amount_sek as decimal(38, 6))) filter (where funding.is_green_loan) as double)
        / 1000000 as green_loans_msek,
        count(*) filter (where funding.amount_sek is null and funding.instrument_scope = 'international')
            as international_without_rate,
        count(*) filter (
            where funding.amount_sek is null and funding.instrument_scope = 'national' and not funding.is_green_loan
        ) as national_without_rate,
        count(*) filter (where funding.amount_sek is null and funding.is_green_loan) as green_loans_without_rate
    from membership
    inner join funding
        on
            membership.municipality_code = funding.municipality_code
            and membership.quarter_end_date >= funding.decision_date
    group by membership.period, membership.municipality_code
),

-- the sources without accepted data that a funding column sums: the ledger for all of them, CORDIS and the ECB
-- rates for international funding (as the catalogue's international funding indicators); a national award in EUR
-- without a rate is caught record by record
funding_sources as (
    select
        string_agg(source_name, '; ' order by source_name) filter (
            where source_name in ('funding_ledger', 'cordis_projects', 'cordis_organizations', 'ecb_rates')
        ) as international_missing,
        string_agg(source_name, '; ' order by source_name) filter (where source_name = 'funding_ledger')
            as national_missing
    from source_states
    where not has_accepted_rows
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
        case
            when
                funding_sources.international_missing is null
                and coalesce(funding_to_date.international_without_rate, 0) = 0
                then coalesce(funding_to_date.international_msek, 0)
        end as international_funding_msek,
        case
            when funding_sources.national_missing is null and coalesce(funding_to_date.national_without_rate, 0) = 0
                then coalesce(funding_to_date.national_msek, 0)
        end as national_funding_msek,
        case
            when
                funding_sources.national_missing is null
                and coalesce(funding_to_date.green_loans_without_rate, 0) = 0
                then coalesce(funding_to_date.green_loans_msek, 0)
        end as green_loans_msek,
        coalesce(funding_sources.international_missing, funding_sources.national_missing) as funding_missing_sources
    from membership
    cross join funding_sources
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
