-- Territorial emissions per European city and year (sum of its sectors), for comparison with the programme's
-- municipalities; a year with a sector missing is not summed as if that sector were zero.
with

sectors as (
    select * from {{ ref('stg_eu_city_emissions__city_sectors') }}
),

final as (
    select
        city_id,
        emission_year,
        min(city_name) as city_name,
        min(country_code) as country_code,
        case
            when count(emissions_t) = count(*) then sum({{ decimal_of_double('emissions_t', 6) }})
        end as emissions_t,
        count(*) as sector_count
    from sectors
    group by city_id, emission_year
)

select * from final
