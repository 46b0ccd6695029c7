{{ config(materialized='view') }}
-- The evidence behind each figure: every source row that contributes, with its file's SHA-256, original name,
-- sheet, row and vintage. For counts and sums, the contributions add up to the indicator's value; for shares,
-- role says which rows make the numerator and which the denominator. A view: evaluated only when traced.
with

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

funding as (
    select * from {{ ref('fct_funding_records') }}
),

quarters as (
    select * from {{ ref('int_quarters') }}
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

emission_rows as (
    select * from {{ ref('stg_smhi_emissions__municipality_sectors') }}
    where substance = '{{ var("emissions_substance") }}'
),

current_members as (
    select * from membership
    where period = (select max(quarters.period) from quarters)
),

followup_status as (
    select * from {{ ref('int_followup_status') }}
),

followup_actions as (
    select * from {{ ref('stg_klimatkontrakt_followup__actions') }}
),

engagements as (
    select * from {{ ref('stg_engagement_log__engagements') }}
),

engagement_portfolio as (
    select * from {{ ref('int_engagement_portfolio') }}
),

-- emissions rows count towards the programme figure and towards their own municipality's figure
emission_geographies as (
    select
        'programme' as geography_type,
        'SE' as geography_code
    union all
    select
        'municipality' as geography_type,
        '' as geography_code
),

kk_municipalities as (
    select
        'kk_municipalities' as indicator_id,
        period,
        'programme' as geography_type,
        'SE' as geography_code,
        'member' as role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        municipality_code as item,
        source_file_sha256,
        source_file_name,
        cast(null as varchar) as source_sheet,
        source_row,
        vintage_at
    from membership
),

kk_population_share as (
    select
        'kk_population_share' as indicator_id,
        membership.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'numerator: population of a member' as role,
        cast(population.population as double) as contribution,
        'scb_population' as source_name,
        population.region_code as item,
        population.source_file_sha256,
        population.source_file_name,
        population.source_sheet,
        population.source_row,
        population.vintage_at
    from membership
    inner join population_years on membership.period = population_years.period
    inner join population
        on
            membership.municipality_code = population.region_code
            and population_years.population_year = population.population_year
    union all
    select
        'kk_population_share' as indicator_id,
        population_years.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'denominator: population of Sweden' as role,
        cast(population.population as double) as contribution,
        'scb_population' as source_name,
        population.region_code as item,
        population.source_file_sha256,
        population.source_file_name,
        population.source_sheet,
        population.source_row,
        population.vintage_at
    from population_years
    inner join population
        on
            population_years.population_year = population.population_year
            and population.region_level = 'country'
),

mission_label_cities_se as (
    select
        'mission_label_cities_se' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'labelled Swedish mission city' as role,
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
            and quarters.quarter_end_date >= mission_cities.label_date
),

international_awards as (
    select
        quarters.period,
        funding.decision_date >= quarters.quarter_start_date as is_in_quarter,
        'award (MSEK) at SEK/EUR '
        || coalesce(cast(funding.fx_sek_per_eur as varchar) || ' of ' || funding.fx_rate_date, '-') as role,
        funding.amount_sek / 1000000 as contribution,
        funding.record_source as source_name,
        funding.record_id as item,
        funding.source_file_sha256,
        funding.source_file_name,
        funding.source_sheet,
        funding.source_row,
        funding.vintage_at
    from quarters
    inner join funding
        on
            funding.status = 'awarded'
            and funding.instrument_scope = 'international'
            and quarters.quarter_end_date >= funding.decision_date
),

-- every award decided by the quarter's end counts towards the cumulative figure, those of the quarter also
-- towards the quarter's
funding_indicators as (
    select
        'intl_funding_awarded_msek_cumulative' as indicator_id,
        false as quarter_only
    union all
    select
        'intl_funding_awarded_msek_quarter' as indicator_id,
        true as quarter_only
),

intl_funding as (
    select
        indicators.indicator_id,
        international_awards.period,
        'programme' as geography_type,
        'SE' as geography_code,
        international_awards.role,
        international_awards.contribution,
        international_awards.source_name,
        international_awards.item,
        international_awards.source_file_sha256,
        international_awards.source_file_name,
        international_awards.source_sheet,
        international_awards.source_row,
        international_awards.vintage_at
    from international_awards
    inner join funding_indicators as indicators
        on international_awards.is_in_quarter or not indicators.quarter_only
),

kk_emissions as (
    select
        'kk_emissions_kt' as indicator_id,
        cast(emission_rows.emission_year as varchar) as period,
        groups.geography_type,
        groups.geography_code,
        'emissions (kt) of ' || emission_rows.sector_code as role,
        emission_rows.emissions_t / 1000 as contribution,
        'smhi_emissions' as source_name,
        emission_rows.municipality_code as item,
        emission_rows.source_file_sha256,
        emission_rows.source_file_name,
        emission_rows.source_sheet,
        emission_rows.source_row,
        emission_rows.vintage_at
    from emission_rows
    inner join current_members on emission_rows.municipality_code = current_members.municipality_code
    cross join emission_geographies as groups
),

-- follow-ups: every owing municipality counts towards the programme, its cohort and itself
followup_geographies as (
    {{ programme_cohort_municipality('followup_status') }}
),

-- the share on time: on-time reports over the members owing one; late and missing ones say so in their role
kk_followup_submitted as (
    select
        'kk_followup_submitted_share_pct' as indicator_id,
        cast(report_year as varchar) as period,
        geography_type,
        geography_code,
        'numerator: received ' || first_received_on || ', due ' || due_date as role,
        1.0 as contribution,
        'klimatkontrakt_followup' as source_name,
        municipality_code as item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from followup_geographies
    where followup_status = 'on_time' and geography_type <> 'municipality'
    union all
    select
        'kk_followup_submitted_share_pct' as indicator_id,
        cast(report_year as varchar) as period,
        geography_type,
        geography_code,
        'denominator: member on 31 December, follow-up '
        || case
            when followup_status = 'missing' then 'missing'
            when followup_status = 'late' then 'late (received ' || first_received_on || ')'
            else 'on time'
        end as role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        municipality_code as item,
        register_file_sha256 as source_file_sha256,
        register_file_name as source_file_name,
        cast(null as varchar) as source_sheet,
        register_row as source_row,
        register_vintage_at as vintage_at
    from followup_geographies
    where geography_type <> 'municipality'
),

followup_action_rows as (
    select
        followup_geographies.report_year,
        followup_geographies.geography_type,
        followup_geographies.geography_code,
        followup_geographies.has_external_funding_column,
        followup_actions.*
    from followup_geographies
    inner join followup_actions
        on
            followup_geographies.municipality_code = followup_actions.municipality_code
            and followup_geographies.report_year = followup_actions.report_year
),

-- counts: one per action; completed share: completed over those not cancelled; amounts in MSEK; the external
-- share over the reports whose template has the column
{%- set live = "action_status <> 'inställd'" %}
{%- set with_column = live ~ " and has_external_funding_column" %}
{%- set measures = [
    ('kk_actions_count', "'action (' || action_status || ')'", '1.0', 'true'),
    ('kk_actions_planned_count', "'action (planerad)'", '1.0', "action_status = 'planerad'"),
    ('kk_actions_ongoing_count', "'action (pågående)'", '1.0', "action_status = 'pågående'"),
    ('kk_actions_completed_count', "'action (genomförd)'", '1.0', "action_status = 'genomförd'"),
    ('kk_actions_cancelled_count', "'action (inställd)'", '1.0', "action_status = 'inställd'"),
    ('kk_actions_completed_share_pct',
        "case when action_status = 'genomförd' then 'numerator and denominator: action (genomförd)'"
        ~ " else 'denominator: action (' || action_status || ')' end", '1.0', live),
    ('kk_investment_planned_msek', "'investment (MSEK) of an action (' || action_status || ')'",
        'investment_sek / 1000000', live),
    ('kk_investment_external_msek', "'external funding (MSEK) of an action (' || action_status || ')'",
        'external_funding_sek / 1000000', with_column),
    ('kk_investment_external_share_pct', "'numerator: external funding (MSEK)'",
        'external_funding_sek / 1000000', with_column),
    ('kk_investment_external_share_pct', "'denominator: investment (MSEK)'", 'investment_sek / 1000000', with_column),
] %}
followup_actions_evidence as (
    {%- for indicator_id, role, contribution, condition in measures %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ indicator_id }}' as indicator_id,
            cast(report_year as varchar) as period,
            geography_type,
            geography_code,
            {{ role }} as role,
            {{ contribution }} as contribution,
            'klimatkontrakt_followup' as source_name,
            municipality_code || ' #' || action_id as item,
            source_file_sha256,
            source_file_name,
            source_sheet,
            source_row,
            vintage_at
        from followup_action_rows
        where {{ condition }}
    {%- endfor %}
),

-- the portfolio: each level counts once (its earliest engagement), the other engagements show with 0
engagement_levels as (
    select
        'engagement_levels_covered' as indicator_id,
        period,
        'level ' || engagement_level || case when level_rank = 1 then ': counted' else ': also active' end as role,
        case when level_rank = 1 then 1.0 else 0.0 end as contribution,
        engagement_id,
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from (
        select
            *,
            row_number() over (
                partition by period, engagement_level order by started_on, engagement_id
            ) as level_rank
        from engagement_portfolio
    ) as ranked
    {%- for direction in [1, 2, 3] %}
        union all
        select
            'engagement_direction_{{ direction }}_share_pct' as indicator_id,
            period,
            case
                when strategy_direction = {{ direction }} then 'numerator and denominator: direction {{ direction }}'
                else 'denominator: direction ' || strategy_direction
            end as role,
            1.0 as contribution,
            engagement_id,
            source_file_sha256,
            source_file_name,
            source_row,
            vintage_at
        from engagement_portfolio
    {%- endfor %}
    union all
    select
        'intl_system_demonstrators' as indicator_id,
        period,
        'international system-demonstrator partnership' as role,
        1.0 as contribution,
        engagement_id,
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from engagement_portfolio
    where is_system_demonstrator and engagement_type <> 'event'
    union all
    select
        'new_initiatives_funded_share_pct' as indicator_id,
        quarters.period,
        case
            when engagements.has_basic_funding_secured then 'numerator and denominator: basic funding secured'
            when not engagements.has_basic_funding_secured then 'denominator: basic funding not secured'
            else 'denominator: basic funding not stated'
        end as role,
        1.0 as contribution,
        engagements.engagement_id,
        engagements.source_file_sha256,
        engagements.source_file_name,
        engagements.source_row,
        engagements.vintage_at
    from quarters
    inner join engagements
        on
            engagements.engagement_type in ('alliance', 'agreement', 'network')
            and engagements.started_on >= date '{{ var("strategy_period_start") }}'
            and quarters.quarter_end_date >= engagements.started_on
),

engagement_evidence as (
    select
        indicator_id,
        period,
        'programme' as geography_type,
        'SE' as geography_code,
        role,
        contribution,
        'engagement_log' as source_name,
        engagement_id as item,
        source_file_sha256,
        source_file_name,
        cast(null as varchar) as source_sheet,
        source_row,
        vintage_at
    from engagement_levels
),

unioned as (
    select * from kk_municipalities
    union all
    select * from kk_population_share
    union all
    select * from mission_label_cities_se
    union all
    select * from intl_funding
    union all
    select * from kk_followup_submitted
    union all
    select * from followup_actions_evidence
    union all
    select * from engagement_evidence
    union all
    select
        indicator_id,
        period,
        geography_type,
        case when geography_type = 'municipality' then item else geography_code end as geography_code,
        role,
        contribution,
        source_name,
        item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from kk_emissions
)

select * from unioned
