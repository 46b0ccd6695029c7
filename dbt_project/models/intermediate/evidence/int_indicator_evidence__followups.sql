-- Evidence of the follow-up and engagement-portfolio indicators (see rpt_indicator_evidence): the follow-ups owed
-- and received, their actions and amounts, and the engagements of the portfolio.
with

quarters as (
    select * from {{ ref('int_quarters') }}
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

---------- follow-ups: every owing municipality counts towards the programme, its cohort and itself

followup_geographies as (
    {{ programme_cohort_municipality('followup_status') }}
),

-- on time: the report in the numerator; every member owing one, with its register row, in the denominator
followup_submitted_evidence as (
    select
        'kk_followup_submitted_share_pct' as indicator_id,
        cast(report_year as varchar) as period,
        geography_type,
        geography_code,
        'numerator' as part,
        'followup_on_time' as role,
        1.0 as contribution,
        'klimatkontrakt_followup' as source_name,
        municipality_code || ' ' || report_year || ' (' || first_received_on || ')' as item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from followup_geographies
    where followup_status = 'on_time'
    union all
    select
        'kk_followup_submitted_share_pct' as indicator_id,
        cast(report_year as varchar) as period,
        geography_type,
        geography_code,
        'denominator' as part,
        'followup_owed_' || followup_status as role,
        1.0 as contribution,
        'klimatkontrakt_register' as source_name,
        municipality_code || ' ' || report_year
        || coalesce(' (' || first_received_on || ', due ' || due_date || ')', ' (due ' || due_date || ')') as item,
        register_file_sha256 as source_file_sha256,
        register_file_name as source_file_name,
        cast(null as varchar) as source_sheet,
        register_row as source_row,
        register_vintage_at as vintage_at
    from followup_geographies
),

followup_action_rows as (
    select
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

-- (indicator, part, role, contribution, which actions): counts one per action; the completed share over the
-- actions not cancelled; amounts in MSEK; the external share over the reports whose template has the column
{%- set live = "action_status <> 'inställd'" %}
{%- set with_column = live ~ " and has_external_funding_column" %}
{%- set measures = [
    ('kk_actions_count', 'value', "'action_' || action_status", '1.0', 'true'),
    ('kk_actions_planned_count', 'value', "'action_planerad'", '1.0', "action_status = 'planerad'"),
    ('kk_actions_ongoing_count', 'value', "'action_pågående'", '1.0', "action_status = 'pågående'"),
    ('kk_actions_completed_count', 'value', "'action_genomförd'", '1.0', "action_status = 'genomförd'"),
    ('kk_actions_cancelled_count', 'value', "'action_inställd'", '1.0', "action_status = 'inställd'"),
    ('kk_actions_completed_share_pct', 'numerator', "'action_genomförd'", '1.0', "action_status = 'genomförd'"),
    ('kk_actions_completed_share_pct', 'denominator', "'action_' || action_status", '1.0', live),
    ('kk_investment_planned_msek', 'value', "'action_investment'", 'investment_sek / 1000000', live),
    ('kk_investment_external_msek', 'value', "'action_external_funding'", 'external_funding_sek / 1000000',
        with_column),
    ('kk_investment_external_share_pct', 'numerator', "'action_external_funding'",
        'external_funding_sek / 1000000', with_column),
    ('kk_investment_external_share_pct', 'denominator', "'action_investment'", 'investment_sek / 1000000',
        with_column),
] %}
followup_action_evidence as (
    {%- for indicator_id, part, role, contribution, condition in measures %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ indicator_id }}' as indicator_id,
            cast(report_year as varchar) as period,
            geography_type,
            geography_code,
            '{{ part }}' as part,
            {{ role }} as role,
            {{ contribution }} as contribution,
            'klimatkontrakt_followup' as source_name,
            municipality_code || ' #' || action_id || ' ' || action_name as item,
            source_file_sha256,
            source_file_name,
            source_sheet,
            source_row,
            vintage_at
        from followup_action_rows
        where {{ condition }}
    {%- endfor %}
),

---------- the engagement portfolio (programme level)

-- each level counts once (its earliest engagement); the level's other engagements support it
level_ranked as (
    select
        *,
        row_number() over (partition by period, engagement_level order by started_on, engagement_id) as level_rank
    from engagement_portfolio
),

portfolio_rows as (
    select
        'engagement_levels_covered' as indicator_id,
        period,
        case when level_rank = 1 then 'value' else 'supporting' end as part,
        'level_' || engagement_level as role,
        case when level_rank = 1 then 1.0 end as contribution,
        engagement_id,
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from level_ranked
    {%- for direction in [1, 2, 3] %}
        union all
        select
            'engagement_direction_{{ direction }}_share_pct' as indicator_id,
            period,
            'numerator' as part,
            'direction_{{ direction }}' as role,
            1.0 as contribution,
            engagement_id,
            source_file_sha256,
            source_file_name,
            source_row,
            vintage_at
        from engagement_portfolio
        where strategy_direction = {{ direction }}
        union all
        select
            'engagement_direction_{{ direction }}_share_pct' as indicator_id,
            period,
            'denominator' as part,
            'direction_' || strategy_direction as role,
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
        'value' as part,
        'system_demonstrator' as role,
        1.0 as contribution,
        engagement_id,
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from engagement_portfolio
    where is_system_demonstrator and engagement_type <> 'event'
),

-- new initiatives of the strategy period: those with basic funding secured over all of them
new_initiatives as (
    select
        quarters.period,
        engagements.*
    from quarters
    inner join engagements
        on
            engagements.engagement_type in ('alliance', 'agreement', 'network')
            and engagements.started_on >= date '{{ var("strategy_period_start") }}'
            and quarters.quarter_end_date >= engagements.started_on
),

initiative_rows as (
    select
        'new_initiatives_funded_share_pct' as indicator_id,
        period,
        'numerator' as part,
        'basic_funding_secured' as role,
        1.0 as contribution,
        engagement_id,
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from new_initiatives
    where has_basic_funding_secured
    union all
    select
        'new_initiatives_funded_share_pct' as indicator_id,
        period,
        'denominator' as part,
        case
            when has_basic_funding_secured then 'basic_funding_secured'
            when not has_basic_funding_secured then 'basic_funding_not_secured'
            else 'basic_funding_not_stated'
        end as role,
        1.0 as contribution,
        engagement_id,
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from new_initiatives
),

engagement_evidence as (
    select
        indicator_id,
        period,
        'programme' as geography_type,
        'SE' as geography_code,
        part,
        role,
        contribution,
        'engagement_log' as source_name,
        engagement_id as item,
        source_file_sha256,
        source_file_name,
        cast(null as varchar) as source_sheet,
        source_row,
        vintage_at
    from (
        select * from portfolio_rows
        union all
        select * from initiative_rows
    ) as engagement_rows
),

unioned as (
    select * from followup_submitted_evidence
    union all
    select * from followup_action_evidence
    union all
    select * from engagement_evidence
)

select * from unioned
