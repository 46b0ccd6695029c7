-- Evidence of the impact indicators (see rpt_indicator_evidence): SMHI's sector rows of today's members, per
-- programme, cohort and municipality, or of all other municipalities; their population; the on-track verdicts.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

population as (
    select * from {{ ref('stg_scb_population__regions') }}
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

progress as (
    select * from {{ ref('fct_municipality_emission_progress') }}
),

baseline as (
    select baseline_year from {{ ref('indicator_catalogue') }}
    where indicator_id = 'kk_emissions_change_pct'
),

emission_rows as (
    select * from {{ ref('stg_smhi_emissions__municipality_sectors') }}
    where substance = '{{ var("emissions_substance") }}'
),

current_members as (
    select * from membership
    where period = (select max(quarters.period) from quarters)
),

-- each municipality's impact geographies: the programme, its cohort and itself; or the comparison group
impact_geographies as (
    select
        municipality_code,
        'programme' as geography_type,
        'SE' as geography_code,
        'kk' as indicator_prefix
    from current_members
    union all
    select
        municipality_code,
        'cohort' as geography_type,
        cast(cohort_year as varchar) as geography_code,
        'kk' as indicator_prefix
    from current_members
    union all
    select
        municipality_code,
        'municipality' as geography_type,
        municipality_code as geography_code,
        'kk' as indicator_prefix
    from current_members
    union all
    select
        municipality_code,
        'comparison' as geography_type,
        'non_members' as geography_code,
        'other' as indicator_prefix
    from municipalities
    where municipality_code not in (select current_members.municipality_code from current_members)
),

---------- SMHI's sector rows per year, in each geography of their municipality

emission_years as (
    select distinct emission_year from emission_rows
),

emission_evidence_rows as (
    select
        emission_rows.*,
        impact_geographies.geography_type,
        impact_geographies.geography_code,
        impact_geographies.indicator_prefix,
        emission_rows.municipality_code || ' ' || emission_rows.sector_code || ' ' || emission_rows.emission_year
            as item
    from emission_rows
    inner join impact_geographies on emission_rows.municipality_code = impact_geographies.municipality_code
),

impact_population_rows as (
    select
        population.*,
        impact_geographies.geography_type,
        impact_geographies.geography_code,
        impact_geographies.indicator_prefix
    from population
    inner join impact_geographies on population.region_code = impact_geographies.municipality_code
    where population.region_level = 'municipality'
),

-- a year's sector rows are the emissions figure, the per-inhabitant numerator and the change's current year; the
-- baseline year's rows are also every year's change baseline
sector_parts as (
    select
        '_emissions_kt' as indicator_suffix,
        'value' as part,
        'sector_emissions_kt' as role,
        0.001 as scale,
        false as is_baseline
    union all
    select
        '_emissions_t_per_capita' as indicator_suffix,
        'numerator' as part,
        'sector_emissions_t' as role,
        1 as scale,
        false as is_baseline
    union all
    select
        '_emissions_change_pct' as indicator_suffix,
        'current' as part,
        'sector_emissions_t' as role,
        1 as scale,
        false as is_baseline
    union all
    select
        '_emissions_change_pct' as indicator_suffix,
        'baseline' as part,
        'sector_emissions_t' as role,
        1 as scale,
        true as is_baseline
),

sector_figures as (
    select
        emission_evidence_rows.*,
        sector_parts.*,
        case when sector_parts.is_baseline then years.emission_year else emission_evidence_rows.emission_year end
            as figure_year
    from emission_evidence_rows
    inner join sector_parts
        on
            not sector_parts.is_baseline
            or emission_evidence_rows.emission_year = (select baseline.baseline_year from baseline)
    inner join emission_years as years
        on sector_parts.is_baseline or emission_evidence_rows.emission_year = years.emission_year
),

emission_evidence as (
    select
        indicator_prefix || indicator_suffix as indicator_id,
        cast(figure_year as varchar) as period,
        geography_type,
        geography_code,
        part,
        role,
        emissions_t * scale as contribution,
        'smhi_emissions' as source_name,
        item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from sector_figures
    union all
    select
        indicator_prefix || '_emissions_t_per_capita' as indicator_id,
        cast(population_year as varchar) as period,
        geography_type,
        geography_code,
        'denominator' as part,
        'population' as role,
        cast(population as double precision) as contribution,
        'scb_population' as source_name,
        region_code || ' ' || region_name || ' ' || population_year as item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from impact_population_rows
    where population_year in (select emission_years.emission_year from emission_years)
),

---------- on track

on_track_indicators as (
    select 'kk_on_track_count' as indicator_id
    union all
    select 'kk_on_track_share_pct' as indicator_id
),

-- an on-track member counts in both indicators' numerators, every assessed one in the share's denominator
on_track_parts as (
    select
        'numerator' as part,
        'member_on_track' as role
    union all
    select
        'denominator' as part,
        'member_assessed' as role
),

-- on track: each assessed member's register row (numerator when on track; the count is the numerator), with
-- the emissions rows of the year and of the baseline year its verdict rests on
assessed as (
    select
        progress.emission_year,
        progress.baseline_year,
        progress.is_on_track,
        current_members.*
    from progress
    inner join current_members on progress.municipality_code = current_members.municipality_code
),

on_track_evidence as (
    select
        indicators.indicator_id,
        cast(assessed.emission_year as varchar) as period,
        'programme' as geography_type,
        'SE' as geography_code,
        parts.part,
        parts.role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        assessed.municipality_code as item,
        assessed.source_file_sha256,
        assessed.source_file_name,
        cast(null as varchar) as source_sheet,
        assessed.source_row,
        assessed.vintage_at
    from assessed
    cross join on_track_indicators as indicators
    inner join on_track_parts as parts
        on
            (parts.part = 'numerator' and assessed.is_on_track)
            or (parts.part = 'denominator' and indicators.indicator_id = 'kk_on_track_share_pct')
    union all
    select
        indicators.indicator_id,
        cast(assessed.emission_year as varchar) as period,
        'programme' as geography_type,
        'SE' as geography_code,
        'supporting' as part,
        case
            when emission_rows.emission_year = assessed.baseline_year then 'sector_emissions_t_baseline'
            else 'sector_emissions_t'
        end as role,
        emission_rows.emissions_t as contribution,
        'smhi_emissions' as source_name,
        emission_rows.municipality_code || ' ' || emission_rows.sector_code || ' ' || emission_rows.emission_year
            as item,
        emission_rows.source_file_sha256,
        emission_rows.source_file_name,
        emission_rows.source_sheet,
        emission_rows.source_row,
        emission_rows.vintage_at
    from assessed
    inner join emission_rows
        on
            assessed.municipality_code = emission_rows.municipality_code
            and emission_rows.emission_year in (assessed.emission_year, assessed.baseline_year)
    cross join on_track_indicators as indicators
),

unioned as (
    select * from emission_evidence
    union all
    select * from on_track_evidence
)

select * from unioned
