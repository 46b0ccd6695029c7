-- Rule: the SMHI main sectors of each group add up to the group's emissions indicator (kk_emissions_kt for the
-- contract municipalities, other_emissions_kt for the others) in every year where both are known.
{{ config(meta={'dagster': {'ref': {'name': 'rpt_emissions_by_sector'}}}) }}

with

sectors as (
    select
        emission_year,
        municipality_group,
        sum(emissions_kt) as emissions_kt,
        count(*) = count(emissions_kt) as is_complete
    from {{ ref('rpt_emissions_by_sector') }}
    group by emission_year, municipality_group
),

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where
        (indicator_id = 'kk_emissions_kt' and geography_type = 'programme')
        or (indicator_id = 'other_emissions_kt' and geography_type = 'comparison')
)

select
    sectors.emission_year,
    sectors.municipality_group,
    sectors.emissions_kt,
    indicator_values.value
from sectors
inner join indicator_values
    on
        cast(sectors.emission_year as varchar) = indicator_values.period
        and indicator_values.indicator_id
        = case when sectors.municipality_group = 'members' then 'kk_emissions_kt' else 'other_emissions_kt' end
where
    sectors.is_complete
    and indicator_values.value is not null
    and abs(sectors.emissions_kt - indicator_values.value) > 0.000001 * greatest(1, abs(indicator_values.value))
