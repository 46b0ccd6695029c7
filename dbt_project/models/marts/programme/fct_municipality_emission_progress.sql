-- Per municipality and year: emissions against the baseline year, the average yearly change achieved since
-- then, and the yearly change still needed from that year to reach the target (the catalogue's
-- kk_emissions_change_pct target, e.g. -80 % against 2015 by 2030). On track when the achieved rate is at
-- least as steep as the required one.
with

emissions as (
    select * from {{ ref('fct_municipality_emissions_yearly') }}
    where emissions_t is not null
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
    where indicator_id = 'kk_emissions_change_pct'
),

baseline as (
    select
        emissions.municipality_code,
        catalogue.baseline_year,
        catalogue.target_year,
        emissions.emissions_t as baseline_emissions_t,
        emissions.emissions_t * (1 + cast(catalogue.target_value as double precision) / 100) as target_emissions_t
    from emissions
    inner join catalogue on emissions.emission_year = catalogue.baseline_year
),

rates as (
    select
        emissions.municipality_code,
        emissions.emission_year,
        emissions.emissions_t,
        emissions.emissions_t_per_capita,
        baseline.baseline_year,
        baseline.baseline_emissions_t,
        baseline.target_year,
        baseline.target_emissions_t,
        100 * (
            cast(emissions.emissions_t as double precision)
            / nullif(cast(baseline.baseline_emissions_t as double precision), 0)
            - 1
        ) as change_since_baseline_pct,
        100 * (
            power(
                cast(emissions.emissions_t as double precision)
                / nullif(cast(baseline.baseline_emissions_t as double precision), 0),
                1.0 / cast(emissions.emission_year - baseline.baseline_year as double precision)
            ) - 1
        ) as achieved_yearly_change_pct,
        case
            when emissions.emission_year < baseline.target_year
                then 100 * (
                    power(
                        baseline.target_emissions_t / nullif(cast(emissions.emissions_t as double precision), 0),
                        1.0 / cast(baseline.target_year - emissions.emission_year as double precision)
                    ) - 1
                )
        end as required_yearly_change_pct
    from emissions
    inner join baseline on emissions.municipality_code = baseline.municipality_code
    where emissions.emission_year > baseline.baseline_year
),

final as (
    select
        ---------- ids
        cast(municipality_code as varchar) as municipality_code,
        cast(emission_year as integer) as emission_year,

        ---------- figures
        cast(emissions_t as double precision) as emissions_t,
        cast(emissions_t_per_capita as double precision) as emissions_t_per_capita,
        cast(baseline_year as integer) as baseline_year,
        cast(baseline_emissions_t as double precision) as baseline_emissions_t,
        cast(target_year as integer) as target_year,
        cast(target_emissions_t as double precision) as target_emissions_t,
        cast(change_since_baseline_pct as double precision) as change_since_baseline_pct,
        cast(achieved_yearly_change_pct as double precision) as achieved_yearly_change_pct,
        cast(required_yearly_change_pct as double precision) as required_yearly_change_pct,
        cast(
            emissions_t <= target_emissions_t or achieved_yearly_change_pct <= required_yearly_change_pct as boolean
        ) as is_on_track
    from rates
)

select * from final
