-- The impact sheet's pathway chart: emissions of today's contract municipalities and of all other
-- municipalities as an index (baseline year = 100), against the straight pathway to the target. One row per year.
with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where indicator_id in ('kk_emissions_change_pct', 'other_emissions_change_pct')
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
    where indicator_id = 'kk_emissions_change_pct'
),

years as (
    select distinct
        cast(period as integer) as emission_year,
        period_end_date
    from indicator_values
),

final as (
    select
        years.emission_year,
        100 + members.value as members_index,
        100 + others.value as others_index,
        case
            when years.emission_year >= catalogue.baseline_year
                then
                    100 + cast(catalogue.target_value as double precision)
                    * (years.emission_year - catalogue.baseline_year)
                    / (catalogue.target_year - catalogue.baseline_year)
        end as required_pathway_index
    from years
    cross join catalogue
    left join indicator_values as members
        on
            years.period_end_date = members.period_end_date
            and members.indicator_id = 'kk_emissions_change_pct'
            and members.geography_type = 'programme'
    left join indicator_values as others
        on
            years.period_end_date = others.period_end_date
            and others.indicator_id = 'other_emissions_change_pct'
)

select * from final
