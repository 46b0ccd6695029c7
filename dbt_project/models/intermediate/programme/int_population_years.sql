-- For each quarter, the newest SCB population year whose 31 December falls on or before the quarter's end.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

population as (
    select * from {{ ref('stg_scb_population__regions') }}
    where region_level = 'country'
),

final as (
    select
        quarters.period,
        max(population.population_year) as population_year
    from quarters
    inner join population
        on quarters.quarter_end_date >= make_date(cast(population.population_year as integer), 12, 31)
    group by quarters.period
)

select * from final
