-- The sector sheet: territorial emissions per SMHI main sector and year, for today's contract municipalities and
-- for all other municipalities, with the change since the baseline year of kk_emissions_change_pct. A sector
-- total in which a municipality lacks a value is missing, never summed as zero. One row per year, sector and
-- group; the sectors of a group add up to the group's kk_emissions_kt / other_emissions_kt.
with

sectors as (
    select * from {{ ref('stg_smhi_emissions__municipality_sectors') }}
    where substance = '{{ var("emissions_substance") }}'
),

sector_names as (
    select * from {{ ref('ref_smhi_sectors') }}
),

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
    where indicator_id = 'kk_emissions_change_pct'
),

-- today's members for every year, as the impact indicators count them (a like-for-like series)
current_members as (
    select municipality_code from membership
    where period = (select max(quarters.period) from quarters)
),

grouped as (
    select
        sectors.emission_year,
        coalesce(sectors.sector_code, sectors.sector_name_as_delivered) as sector_code,
        case when current_members.municipality_code is not null then 'members' else 'others' end
            as municipality_group,
        sectors.emissions_t
    from sectors
    left join current_members on sectors.municipality_code = current_members.municipality_code
),

totals as (
    select
        emission_year,
        sector_code,
        municipality_group,
        case
            when count(emissions_t) = count(*)
                then cast(sum({{ decimal_of_double('emissions_t', 6) }}) as double precision) / 1000
        end as emissions_kt
    from grouped
    group by emission_year, sector_code, municipality_group
),

names as (
    select distinct
        sector_code,
        sector_name_sv,
        sector_name_en
    from sector_names
),

final as (
    select
        ---------- ids
        totals.emission_year,
        totals.sector_code,
        totals.municipality_group,

        ---------- attributes
        coalesce(names.sector_name_sv, totals.sector_code) as sector_name_sv,
        coalesce(names.sector_name_en, totals.sector_code) as sector_name_en,
        cast(totals.emissions_kt as double precision) as emissions_kt,
        catalogue.baseline_year,
        cast(base.emissions_kt as double precision) as baseline_emissions_kt,
        cast(100 * (totals.emissions_kt / nullif(base.emissions_kt, 0) - 1) as double precision)
            as change_since_baseline_pct
    from totals
    cross join catalogue
    left join names on totals.sector_code = names.sector_code
    left join totals as base
        on
            totals.sector_code = base.sector_code
            and totals.municipality_group = base.municipality_group
            and catalogue.baseline_year = base.emission_year
)

select * from final
