-- Impact: territorial emissions of the contract municipalities (total, per inhabitant, change against the
-- baseline), how many are on track, and the same for all other Swedish municipalities.
-- The member set is today's (the last closed quarter's), for every year: a like-for-like series.
-- Every municipality of a group counts in every year SMHI delivered: one that lacks a total (no rows, or a
-- sector without a value) leaves the group's total missing for that year (emissions_incomplete), never smaller.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

emissions as (
    select * from {{ ref('fct_municipality_emissions_yearly') }}
),

progress as (
    select * from {{ ref('fct_municipality_emission_progress') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
    where indicator_id = 'kk_emissions_change_pct'
),

current_members as (
    select
        membership.municipality_code,
        membership.cohort_year
    from membership
    where membership.period = (select max(quarters.period) from quarters)
),

emission_years as (
    select distinct emission_year from emissions
),

-- every Swedish municipality in every delivered year, with its total where SMHI has one
member_emissions as (
    select
        emission_years.emission_year,
        municipalities.municipality_code,
        emissions.emissions_t,
        emissions.population,
        current_members.cohort_year,
        current_members.municipality_code is not null as is_member
    from emission_years
    cross join municipalities
    left join emissions
        on
            emission_years.emission_year = emissions.emission_year
            and municipalities.municipality_code = emissions.municipality_code
    left join current_members on municipalities.municipality_code = current_members.municipality_code
),

-- each municipality counts in its groups: the programme, its cohort and itself, or the non-members
grouped as (
    select
        *,
        'programme' as geography_type,
        'SE' as geography_code
    from member_emissions
    where is_member
    union all
    select
        *,
        'cohort' as geography_type,
        cast(cohort_year as varchar) as geography_code
    from member_emissions
    where is_member
    union all
    select
        *,
        'municipality' as geography_type,
        municipality_code as geography_code
    from member_emissions
    where is_member
    union all
    select
        *,
        'comparison' as geography_type,
        'non_members' as geography_code
    from member_emissions
    where not is_member
),

-- a year in which any municipality of a group lacks a value has no total: missing is never summed as zero
totals as (
    select
        emission_year,
        geography_type,
        geography_code,
        case when count(emissions_t) = count(*) then sum(emissions_t) end as emissions_t,
        case when count(population) = count(*) then cast(sum(population) as bigint) end as population,
        count(*) - count(emissions_t) as without_emissions,
        count(*) - count(population) as without_population
    from grouped
    group by emission_year, geography_type, geography_code
),

with_baseline as (
    select
        totals.*,
        base.emissions_t as baseline_emissions_t,
        base.emission_year is null or base.without_emissions > 0 as lacks_baseline
    from totals
    left join totals as base
        on
            totals.geography_type = base.geography_type
            and totals.geography_code = base.geography_code
            and base.emission_year = (select catalogue.baseline_year from catalogue)
),

emission_values as (
    select
        emission_year,
        geography_type,
        geography_code,
        without_emissions,
        without_population,
        lacks_baseline,
        case when geography_type = 'comparison' then 'other_emissions_kt' else 'kk_emissions_kt' end
            as emissions_indicator,
        case when geography_type = 'comparison' then 'other_emissions_change_pct' else 'kk_emissions_change_pct' end
            as change_indicator,
        case when geography_type = 'comparison' then 'other_emissions_t_per_capita' else 'kk_emissions_t_per_capita' end
            as per_capita_indicator,
        cast(emissions_t as double precision) / 1000 as emissions_kt,
        100.0 * (cast(emissions_t as double precision) / nullif(cast(baseline_emissions_t as double precision), 0) - 1)
            as change_pct,
        cast(emissions_t as double precision) / nullif(population, 0) as t_per_capita
    from with_baseline
),

long as (
    select
        emissions_indicator as indicator_id,
        emission_year,
        geography_type,
        geography_code,
        emissions_kt as value,
        case when without_emissions > 0 then 'emissions_incomplete' end as missing_reason,
        case when without_emissions > 0 then 'smhi_emissions' end as missing_sources,
        case when without_emissions > 0 then cast(without_emissions as varchar) end as missing_detail
    from emission_values
    union all
    select
        change_indicator as indicator_id,
        emission_year,
        geography_type,
        geography_code,
        change_pct as value,
        case
            when without_emissions > 0 then 'emissions_incomplete' when lacks_baseline then 'no_baseline'
        end as missing_reason,
        case when without_emissions > 0 or lacks_baseline then 'smhi_emissions' end as missing_sources,
        case
            when without_emissions > 0 then cast(without_emissions as varchar)
            when lacks_baseline then cast((select catalogue.baseline_year from catalogue) as varchar)
        end as missing_detail
    from emission_values
    union all
    select
        per_capita_indicator as indicator_id,
        emission_year,
        geography_type,
        geography_code,
        t_per_capita as value,
        case
            when without_emissions > 0 then 'emissions_incomplete' when without_population > 0 then 'population_missing'
        end as missing_reason,
        case
            when without_emissions > 0 then 'smhi_emissions' when without_population > 0 then 'scb_population'
        end as missing_sources,
        case
            when without_emissions > 0 then cast(without_emissions as varchar)
            when without_population > 0 then cast(without_population as varchar)
        end as missing_detail
    from emission_values
),

on_track as (
    select
        progress.emission_year,
        count(*) filter (where progress.is_on_track) as on_track_count,
        count(*) as assessed_count
    from progress
    inner join current_members on progress.municipality_code = current_members.municipality_code
    group by progress.emission_year
),

on_track_long as (
    select
        'kk_on_track_count' as indicator_id,
        emission_year,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(on_track_count as double precision) as value,
        cast(null as varchar) as missing_reason,
        cast(null as varchar) as missing_sources,
        cast(null as varchar) as missing_detail
    from on_track
    union all
    select
        'kk_on_track_share_pct' as indicator_id,
        emission_year,
        'programme' as geography_type,
        'SE' as geography_code,
        100.0 * cast(on_track_count as double precision) / assessed_count as value,
        cast(null as varchar) as missing_reason,
        cast(null as varchar) as missing_sources,
        cast(null as varchar) as missing_detail
    from on_track
),

all_values as (
    select * from long
    union all
    select * from on_track_long
),

final as (
    select
        indicator_id,
        cast(emission_year as varchar) as period,
        make_date(cast(emission_year as integer), 12, 31) as period_end_date,
        geography_type,
        geography_code,
        value,
        missing_reason,
        missing_sources,
        missing_detail
    from all_values
)

select * from final
