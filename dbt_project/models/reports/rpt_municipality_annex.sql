-- Annex: for every report quarter, one row per municipality in the programme at the quarter's end, with its
-- cohort, population, emissions (the newest year ended before the quarter), per inhabitant, change since the
-- baseline, on-track assessment, mission-city status, funding decided by the quarter's end, and its follow-up for the
-- newest report year due by then: on time, late or missing at the quarter's end, with what it reports.
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

followup_status as (
    select * from {{ ref('int_followup_status') }}
),

followup_values as (
    select * from {{ ref('fct_indicator_values') }}
    where
        geography_type = 'municipality'
        and indicator_id in (
            'kk_actions_count',
            'kk_actions_completed_count',
            'kk_investment_planned_msek',
            'kk_investment_external_msek'
        )
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
        cast(sum({{ decimal_of_double('funding.amount_sek', 6) }}) filter (
            where funding.instrument_scope = 'international'
        ) as double precision) / 1000000 as international_msek,
        cast(sum({{ decimal_of_double('funding.amount_sek', 6) }}) filter (
            where funding.instrument_scope = 'national' and not funding.is_green_loan
        ) as double precision) / 1000000 as national_msek,
        cast(sum({{ decimal_of_double('funding.amount_sek', 6) }}) filter (
            where funding.is_green_loan
        ) as double precision) / 1000000 as green_loans_msek,
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

-- the newest report year due by the quarter's end that the municipality owes, and how it stood then
newest_followup as (
    select distinct on (membership.period, membership.municipality_code)
        membership.period,
        followup_status.*,
        followup_status.first_received_on <= membership.quarter_end_date as is_received_by_quarter_end
    from membership
    inner join followup_status
        on
            membership.municipality_code = followup_status.municipality_code
            and membership.quarter_end_date >= followup_status.due_date
    order by membership.period asc, membership.municipality_code asc, followup_status.report_year desc
),

followup_figures as (
    select
        newest_followup.period,
        newest_followup.municipality_code,
        newest_followup.report_year,
        newest_followup.due_date,
        case
            when newest_followup.followup_status = 'on_time' then 'on_time'
            when newest_followup.is_received_by_quarter_end then 'late'
            else 'missing'
        end as followup_status,
        case when newest_followup.is_received_by_quarter_end then newest_followup.first_received_on end
            as received_on,
        case when newest_followup.is_received_by_quarter_end then newest_followup.template_version end
            as template_version,
        max(followup_values.value) filter (where followup_values.indicator_id = 'kk_actions_count') as actions_count,
        max(followup_values.value) filter (where followup_values.indicator_id = 'kk_actions_completed_count')
            as actions_completed_count,
        max(followup_values.value) filter (where followup_values.indicator_id = 'kk_investment_planned_msek')
            as investment_planned_msek,
        max(followup_values.value) filter (where followup_values.indicator_id = 'kk_investment_external_msek')
            as investment_external_msek
    from newest_followup
    left join followup_values
        on
            newest_followup.municipality_code = followup_values.geography_code
            and cast(newest_followup.report_year as varchar) = followup_values.period
            and newest_followup.is_received_by_quarter_end
    -- one row per period and municipality already: the other columns only come along
    group by
        newest_followup.period,
        newest_followup.municipality_code,
        newest_followup.report_year,
        newest_followup.due_date,
        newest_followup.followup_status,
        newest_followup.is_received_by_quarter_end,
        newest_followup.first_received_on,
        newest_followup.template_version
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
        followup_figures.report_year as followup_report_year,
        followup_figures.due_date as followup_due_date,
        followup_figures.followup_status,
        followup_figures.received_on as followup_received_on,
        followup_figures.template_version as followup_template_version,
        cast(followup_figures.actions_count as integer) as followup_actions_count,
        cast(followup_figures.actions_completed_count as integer) as followup_actions_completed_count,
        followup_figures.investment_planned_msek as followup_investment_planned_msek,
        followup_figures.investment_external_msek as followup_investment_external_msek,
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
    left join followup_figures
        on
            membership.period = followup_figures.period
            and membership.municipality_code = followup_figures.municipality_code
)

select * from final
