{{ config(materialized='view') }}
-- The evidence behind each figure of fct_indicator_values, for every catalogue indicator and every geography it
-- is published for: every source row that contributes, with its file's SHA-256, original name, sheet, row and
-- vintage. part says what the row is to the figure, by the catalogue's formula_kind:
--   count, sum: value rows add up to the figure (counts: 1 a row);
--   share:      100 * sum(numerator) / sum(denominator);
--   ratio:      sum(numerator) / sum(denominator);
--   change:     100 * (sum(current) / sum(baseline) - 1);
--   supporting: rows the figure rests on without adding to it (the ECB rate row an amount in EUR was converted
--               at, a NetZeroCities award that makes a member count, the emissions behind an on-track verdict).
-- Funding rows carry the amount as entered, its unit and currency, and the rate used. A view: evaluated only when
-- traced (or when a value is implausible, tests/marts/assert_indicator_values_plausible.sql).
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

funding as (
    select * from {{ ref('fct_funding_records') }}
),

population as (
    select * from {{ ref('stg_scb_population__regions') }}
),

population_years as (
    select * from {{ ref('int_population_years') }}
),

mission_cities as (
    select * from {{ ref('stg_mission_cities__cities') }}
),

engagements as (
    select * from {{ ref('stg_engagement_log__engagements') }}
),

eur_sek as (
    select * from {{ ref('stg_ecb_rates__daily') }}
    where currency_code = 'SEK'
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

---------- who counts where: members per quarter (programme and cohort), today's members for the impact series

member_geographies as (
    select
        *,
        'programme' as geography_type,
        'SE' as geography_code
    from membership
    union all
    select
        *,
        'cohort' as geography_type,
        cast(cohort_year as varchar) as geography_code
    from membership
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

---------- direction 1

engagement_evidence as (
    select
        'active_collaborations' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'active_engagement' as role,
        1.0 as contribution,
        'engagement_log' as source_name,
        engagements.engagement_id || ' ' || engagements.engagement_type || ': ' || engagements.partner_name as item,
        engagements.source_file_sha256,
        engagements.source_file_name,
        cast(null as varchar) as source_sheet,
        engagements.source_row,
        engagements.vintage_at
    from quarters
    inner join engagements
        on
            engagements.engagement_type in ('alliance', 'agreement', 'network')
            and quarters.quarter_end_date >= engagements.started_on
            and (engagements.ended_on is null or quarters.quarter_end_date <= engagements.ended_on)
    union all
    select
        'international_events_quarter' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'event' as role,
        1.0 as contribution,
        'engagement_log' as source_name,
        engagements.engagement_id || ' ' || engagements.started_on || ': ' || engagements.partner_name as item,
        engagements.source_file_sha256,
        engagements.source_file_name,
        cast(null as varchar) as source_sheet,
        engagements.source_row,
        engagements.vintage_at
    from quarters
    inner join engagements
        on
            engagements.engagement_type = 'event'
            and engagements.started_on between quarters.quarter_start_date and quarters.quarter_end_date
),

mission_city_evidence as (
    select
        'swedish_mission_cities' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'swedish_mission_city' as role,
        1.0 as contribution,
        'mission_cities' as source_name,
        mission_cities.city_name as item,
        mission_cities.source_file_sha256,
        mission_cities.source_file_name,
        cast(null as varchar) as source_sheet,
        mission_cities.source_row,
        mission_cities.vintage_at
    from quarters
    inner join mission_cities
        on
            mission_cities.country_code = 'SE'
            and quarters.quarter_end_date >= date '{{ var("mission_selection_date") }}'
    union all
    select
        'mission_label_cities_se' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'labelled_swedish_city' as role,
        1.0 as contribution,
        'mission_cities' as source_name,
        mission_cities.city_name || ' (' || mission_cities.label_date || ')' as item,
        mission_cities.source_file_sha256,
        mission_cities.source_file_name,
        cast(null as varchar) as source_sheet,
        mission_cities.source_row,
        mission_cities.vintage_at
    from quarters
    inner join mission_cities
        on
            mission_cities.country_code = 'SE'
            and quarters.quarter_end_date >= mission_cities.label_date
    union all
    select
        'nordic_baltic_label_share' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        parts.part,
        parts.role,
        1.0 as contribution,
        'mission_cities' as source_name,
        mission_cities.city_name || ', ' || mission_cities.country_code || ' (' || mission_cities.label_date || ')'
            as item,
        mission_cities.source_file_sha256,
        mission_cities.source_file_name,
        cast(null as varchar) as source_sheet,
        mission_cities.source_row,
        mission_cities.vintage_at
    from quarters
    inner join mission_cities on quarters.quarter_end_date >= mission_cities.label_date
    inner join (
        select
            'numerator' as part,
            'labelled_nordic_baltic_city' as role
        union all
        select
            'denominator' as part,
            'labelled_city' as role
    ) as parts
        on
            parts.part = 'denominator'
            or mission_cities.country_code in ('SE', 'NO', 'DK', 'FI', 'IS', 'EE', 'LV', 'LT')
),

-- a member counts when it holds an awarded NetZeroCities pilot grant decided by the quarter's end: the member's
-- register row is counted, the award rows support it
pilot_awards as (
    select
        membership.period,
        membership.municipality_code,
        funding.record_id,
        funding.record_source,
        funding.source_file_sha256,
        funding.source_file_name,
        funding.source_sheet,
        funding.source_row,
        funding.vintage_at
    from membership
    inner join funding
        on
            membership.municipality_code = funding.municipality_code
            and funding.instrument_code = 'NZC_PILOT'
            and funding.status = 'awarded'
            and membership.quarter_end_date >= funding.decision_date
),

pilot_evidence as (
    select
        'nzc_pilot_municipalities' as indicator_id,
        membership.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'member_with_pilot_grant' as role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        membership.municipality_code as item,
        membership.source_file_sha256,
        membership.source_file_name,
        cast(null as varchar) as source_sheet,
        membership.source_row,
        membership.vintage_at
    from membership
    where exists (
        select 1 from pilot_awards
        where pilot_awards.period = membership.period and pilot_awards.municipality_code = membership.municipality_code
    )
    union all
    select
        'nzc_pilot_municipalities' as indicator_id,
        period,
        'programme' as geography_type,
        'SE' as geography_code,
        'supporting' as part,
        'pilot_grant' as role,
        cast(null as double) as contribution,
        record_source as source_name,
        municipality_code || ': ' || record_id as item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from pilot_awards
),

---------- direction 2

member_evidence as (
    select
        'kk_municipalities' as indicator_id,
        period,
        geography_type,
        geography_code,
        'value' as part,
        'member' as role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        municipality_code as item,
        source_file_sha256,
        source_file_name,
        cast(null as varchar) as source_sheet,
        source_row,
        vintage_at
    from member_geographies
),

-- the denominator is Sweden's population in every programme and cohort figure of the quarter
share_geographies as (
    select
        period,
        geography_type,
        geography_code
    from member_geographies
    union
    select
        period,
        'programme' as geography_type,
        'SE' as geography_code
    from quarters
),

population_share_evidence as (
    select
        'kk_population_share' as indicator_id,
        member_geographies.period,
        member_geographies.geography_type,
        member_geographies.geography_code,
        'numerator' as part,
        'member_population' as role,
        cast(population.population as double) as contribution,
        'scb_population' as source_name,
        population.region_code || ' ' || population.region_name || ' ' || population.population_year as item,
        population.source_file_sha256,
        population.source_file_name,
        population.source_sheet,
        population.source_row,
        population.vintage_at
    from member_geographies
    inner join population_years on member_geographies.period = population_years.period
    inner join population
        on
            member_geographies.municipality_code = population.region_code
            and population_years.population_year = population.population_year
    union all
    select
        'kk_population_share' as indicator_id,
        share_geographies.period,
        share_geographies.geography_type,
        share_geographies.geography_code,
        'denominator' as part,
        'population_of_sweden' as role,
        cast(population.population as double) as contribution,
        'scb_population' as source_name,
        population.region_name || ' ' || population.population_year as item,
        population.source_file_sha256,
        population.source_file_name,
        population.source_sheet,
        population.source_row,
        population.vintage_at
    from share_geographies
    inner join population_years on share_geographies.period = population_years.period
    inner join population
        on
            population_years.population_year = population.population_year
            and population.region_level = 'country'
),

---------- direction 3: every award row with its amount as entered and the rate it was converted at

awards as (
    select
        record_id,
        case when record_source = 'cordis' then 'cordis_organizations' else record_source end as source_name,
        instrument_code,
        instrument_scope,
        is_green_loan,
        municipality_code,
        status,
        decision_date,
        amount_as_entered as original_amount,
        amount_unit as original_unit,
        currency_code as original_currency,
        fx_method,
        fx_rate_date,
        fx_sek_per_eur,
        amount_sek,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from funding
),

funding_parts as (
    select
        'intl_funding_awarded_msek_quarter' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'award' as role,
        awards.amount_sek / 1000000 as contribution,
        awards.*
    from quarters
    inner join awards
        on
            awards.status = 'awarded' and awards.instrument_scope = 'international'
            and awards.decision_date between quarters.quarter_start_date and quarters.quarter_end_date
    union all
    select
        indicators.indicator_id,
        quarters.period,
        geographies.geography_type,
        case when geographies.geography_type = 'municipality' then awards.municipality_code else 'SE' end
            as geography_code,
        indicators.part,
        'award' as role,
        awards.amount_sek / 1000000 as contribution,
        awards.*
    from quarters
    inner join awards
        on
            awards.status = 'awarded' and awards.instrument_scope = 'international'
            and quarters.quarter_end_date >= awards.decision_date
    inner join (
        select
            'intl_funding_awarded_msek_cumulative' as indicator_id,
            'value' as part
        union all
        select
            'funding_leverage_ratio' as indicator_id,
            'numerator' as part
    ) as indicators on true
    inner join (
        select 'programme' as geography_type
        union all
        select 'municipality' as geography_type
    ) as geographies
        on
            geographies.geography_type = 'programme'
            or (indicators.indicator_id = 'intl_funding_awarded_msek_cumulative' and awards.municipality_code is not null)
    union all
    select
        'funding_leverage_ratio' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'denominator' as part,
        'national_programme_award' as role,
        awards.amount_sek / 1000000 as contribution,
        awards.*
    from quarters
    inner join awards
        on
            awards.status = 'awarded'
            and awards.instrument_code in ('ENERGIMYNDIGHETEN', 'VINNOVA', 'FORMAS', 'VIABLE_CITIES')
            and quarters.quarter_end_date >= awards.decision_date
    union all
    select
        'green_loans_msek_cumulative' as indicator_id,
        membership.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'green_loan' as role,
        awards.amount_sek / 1000000 as contribution,
        awards.*
    from membership
    inner join awards
        on
            membership.municipality_code = awards.municipality_code
            and awards.is_green_loan
            and awards.status = 'awarded'
            and membership.quarter_end_date >= awards.decision_date
    union all
    -- decided applications to international instruments in the four quarters up to the quarter's end
    select
        'application_success_rate_pct' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        parts.part,
        parts.role,
        1.0 as contribution,
        awards.*
    from quarters
    inner join awards
        on
            awards.instrument_scope = 'international'
            and awards.status in ('awarded', 'rejected')
            and quarters.quarter_end_date >= awards.decision_date
            and awards.decision_date > quarters.quarter_end_date - interval 1 year
    inner join (
        select
            'numerator' as part,
            'awarded_application' as role
        union all
        select
            'denominator' as part,
            'decided_application' as role
    ) as parts
        on parts.part = 'denominator' or awards.status = 'awarded'
),

funding_evidence as (
    select
        indicator_id,
        period,
        geography_type,
        geography_code,
        part,
        role,
        contribution,
        source_name,
        record_id as item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at,
        original_amount,
        original_unit,
        original_currency,
        fx_sek_per_eur,
        fx_rate_date
    from funding_parts
),

-- the ECB row(s) each amount in EUR was converted at: the day's reference rate, or every rate of the month for
-- instruments converted at the monthly average
rate_evidence as (
    select
        funding_parts.indicator_id,
        funding_parts.period,
        funding_parts.geography_type,
        funding_parts.geography_code,
        'supporting' as part,
        'exchange_rate' as role,
        eur_sek.units_per_eur as contribution,
        'ecb_rates' as source_name,
        funding_parts.record_id || ': SEK/EUR ' || eur_sek.rate_date as item,
        eur_sek.source_file_sha256,
        eur_sek.source_file_name,
        cast(null as varchar) as source_sheet,
        eur_sek.source_row,
        eur_sek.vintage_at
    from funding_parts
    inner join eur_sek
        on
            funding_parts.original_currency = 'EUR'
            and funding_parts.contribution is not null
            and funding_parts.part <> 'supporting'
            and funding_parts.role not in ('awarded_application', 'decided_application')
            and (
                (funding_parts.fx_method = 'daily' and eur_sek.rate_date = funding_parts.fx_rate_date)
                or (
                    funding_parts.fx_method = 'monthly_average'
                    and date_trunc('month', eur_sek.rate_date) = funding_parts.fx_rate_date
                )
            )
),

---------- impact: SMHI's sector rows of today's members (or of all other municipalities) per year

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

emission_evidence as (
    select
        indicator_prefix || '_emissions_kt' as indicator_id,
        cast(emission_year as varchar) as period,
        geography_type,
        geography_code,
        'value' as part,
        'sector_emissions_kt' as role,
        emissions_t / 1000 as contribution,
        'smhi_emissions' as source_name,
        item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from emission_evidence_rows
    union all
    select
        indicator_prefix || '_emissions_t_per_capita' as indicator_id,
        cast(emission_year as varchar) as period,
        geography_type,
        geography_code,
        'numerator' as part,
        'sector_emissions_t' as role,
        emissions_t as contribution,
        'smhi_emissions' as source_name,
        item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from emission_evidence_rows
    union all
    select
        indicator_prefix || '_emissions_t_per_capita' as indicator_id,
        cast(population_year as varchar) as period,
        geography_type,
        geography_code,
        'denominator' as part,
        'population' as role,
        cast(population as double) as contribution,
        'scb_population' as source_name,
        region_code || ' ' || region_name || ' ' || population_year as item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from impact_population_rows
    where population_year in (select distinct emission_rows.emission_year from emission_rows)
    union all
    -- a year's change against the baseline year: that year's rows, and the baseline year's rows again
    select
        indicator_prefix || '_emissions_change_pct' as indicator_id,
        cast(emission_year as varchar) as period,
        geography_type,
        geography_code,
        'current' as part,
        'sector_emissions_t' as role,
        emissions_t as contribution,
        'smhi_emissions' as source_name,
        item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from emission_evidence_rows
    union all
    select
        emission_evidence_rows.indicator_prefix || '_emissions_change_pct' as indicator_id,
        cast(years.emission_year as varchar) as period,
        emission_evidence_rows.geography_type,
        emission_evidence_rows.geography_code,
        'baseline' as part,
        'sector_emissions_t' as role,
        emission_evidence_rows.emissions_t as contribution,
        'smhi_emissions' as source_name,
        emission_evidence_rows.item,
        emission_evidence_rows.source_file_sha256,
        emission_evidence_rows.source_file_name,
        emission_evidence_rows.source_sheet,
        emission_evidence_rows.source_row,
        emission_evidence_rows.vintage_at
    from emission_evidence_rows
    cross join (select distinct emission_rows.emission_year from emission_rows) as years
    where emission_evidence_rows.emission_year = (select baseline.baseline_year from baseline)
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
    inner join (
        select 'kk_on_track_count' as indicator_id
        union all
        select 'kk_on_track_share_pct' as indicator_id
    ) as indicators on true
    inner join (
        select
            'numerator' as part,
            'member_on_track' as role
        union all
        select
            'denominator' as part,
            'member_assessed' as role
    ) as parts
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
    inner join (
        select 'kk_on_track_count' as indicator_id
        union all
        select 'kk_on_track_share_pct' as indicator_id
    ) as indicators on true
),

unioned as (
    select * from engagement_evidence
    union all
    select * from mission_city_evidence
    union all
    select * from pilot_evidence
    union all
    select * from member_evidence
    union all
    select * from population_share_evidence
    union all
    select * from rate_evidence
    union all
    select * from emission_evidence
    union all
    select * from on_track_evidence
    union all by name
    select * from funding_evidence
),

final as (
    select
        ---------- the figure
        indicator_id,
        period,
        geography_type,
        geography_code,

        ---------- what the row is to it
        part,
        role,
        cast(contribution as double) as contribution,

        ---------- the source row
        source_name,
        item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at,

        ---------- funding: the amount as entered and the rate it was converted at
        original_amount,
        original_unit,
        original_currency,
        fx_sek_per_eur,
        fx_rate_date
    from unioned
)

select * from final
