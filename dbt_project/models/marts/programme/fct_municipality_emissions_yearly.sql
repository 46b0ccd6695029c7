-- Territorial emissions per municipality and year (sum of SMHI's nine main sectors), with the population on
-- 31 December of the same year where SCB has published it.
with

sectors as (
    select * from {{ ref('stg_smhi_emissions__municipality_sectors') }}
    where substance = '{{ var("emissions_substance", "Totala växthusgaser") }}'
),

-- SMHI lists every main sector for every municipality; a sector row that is absent is missing, not zero
expected_sectors as (
    select count(distinct sector_code) as sector_count from {{ ref('ref_smhi_sectors') }}
),

population as (
    select * from {{ ref('stg_scb_population__regions') }}
    where region_level = 'municipality'
),

totals as (
    select
        municipality_code,
        emission_year,
        -- decimal sums are exact, so the same input always gives the same total, whatever the thread order
        sum({{ decimal_of_double('emissions_t', 6) }}) as emissions_t,
        count(distinct sector_code) filter (where emissions_t is not null) as sectors_with_value
    from sectors
    group by municipality_code, emission_year
),

final as (
    select
        totals.municipality_code,
        totals.emission_year,
        -- a year with a sector missing is not summed as if that sector were zero
        case
            when totals.sectors_with_value = expected_sectors.sector_count then totals.emissions_t
        end as emissions_t,
        population.population,
        case
            when totals.sectors_with_value = expected_sectors.sector_count
                then cast(totals.emissions_t as double precision) / nullif(population.population, 0)
        end as emissions_t_per_capita
    from totals
    cross join expected_sectors
    left join population
        on
            totals.municipality_code = population.region_code
            and totals.emission_year = population.population_year
)

select * from final
