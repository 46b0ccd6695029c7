-- Klimatkontrakt follow-ups: the share that arrived by the due date, the actions by status and the share completed,
-- the planned investment and its external funding, per report year for the programme, each cohort and each
-- municipality. A figure whose inputs are missing is null with a missing_reason, never 0.
with

status as (
    select * from {{ ref('int_followup_status') }}
),

actions as (
    select * from {{ ref('stg_klimatkontrakt_followup__actions') }}
),

-- one row per municipality that owes a follow-up, with what its newest report holds
per_report as (
    select
        status.report_year,
        status.due_date,
        status.municipality_code,
        status.cohort_year,
        status.followup_status,
        status.has_external_funding_column,
        status.followup_status <> 'missing' as is_received,
        count(actions.action_id) as actions_count,
        count(actions.action_id) filter (where actions.action_status = 'planerad') as planned_count,
        count(actions.action_id) filter (where actions.action_status = 'pågående') as ongoing_count,
        count(actions.action_id) filter (where actions.action_status = 'genomförd') as completed_count,
        count(actions.action_id) filter (where actions.action_status = 'inställd') as cancelled_count,
        -- amounts of the plan: every action not cancelled
        count(actions.action_id) filter (
            where actions.action_status <> 'inställd' and actions.investment_sek is null
        ) as without_investment_count,
        count(actions.action_id) filter (
            where actions.action_status <> 'inställd' and actions.external_funding_sek is null
        ) as without_external_count,
        sum({{ decimal_of_double('actions.investment_sek', 2) }}) filter (
            where actions.action_status <> 'inställd'
        ) as investment_sek,
        sum({{ decimal_of_double('actions.external_funding_sek', 2) }}) filter (
            where actions.action_status <> 'inställd'
        ) as external_sek
    from status
    left join actions
        on
            status.municipality_code = actions.municipality_code
            and status.report_year = actions.report_year
    group by
        status.report_year,
        status.due_date,
        status.municipality_code,
        status.cohort_year,
        status.followup_status,
        status.has_external_funding_column
),

-- each municipality counts towards the programme, its cohort and itself
grouped as (
    {{ programme_cohort_municipality('per_report') }}
),

-- whether any follow-up for the year arrived at all: without one the source is missing, not the reports
year_received as (
    select
        report_year,
        count(*) filter (where is_received) as received_count
    from per_report
    group by report_year
),

totals as (
    select
        grouped.report_year,
        grouped.due_date,
        grouped.geography_type,
        grouped.geography_code,
        count(*) as owed_count,
        count(*) filter (where grouped.followup_status = 'on_time') as on_time_count,
        count(*) filter (where grouped.is_received) as received_count,
        count(*) filter (where grouped.is_received and not grouped.has_external_funding_column)
            as without_external_column_count,
        sum(grouped.actions_count) filter (where grouped.is_received) as actions_count,
        sum(grouped.planned_count) filter (where grouped.is_received) as planned_count,
        sum(grouped.ongoing_count) filter (where grouped.is_received) as ongoing_count,
        sum(grouped.completed_count) filter (where grouped.is_received) as completed_count,
        sum(grouped.cancelled_count) filter (where grouped.is_received) as cancelled_count,
        sum(grouped.without_investment_count) as without_investment_count,
        sum(grouped.without_external_count) filter (where grouped.has_external_funding_column)
            as without_external_count,
        coalesce(sum(grouped.investment_sek) filter (where grouped.is_received), 0) as investment_sek,
        coalesce(sum(grouped.external_sek) filter (where grouped.is_received), 0) as external_sek,
        -- the external share only over the reports whose template has the column
        coalesce(sum(grouped.investment_sek) filter (where grouped.has_external_funding_column), 0)
            as investment_with_external_column_sek,
        count(*) filter (where grouped.has_external_funding_column) as with_external_column_count,
        max(year_received.received_count) as year_received_count
    from grouped
    inner join year_received on grouped.report_year = year_received.report_year
    group by grouped.report_year, grouped.due_date, grouped.geography_type, grouped.geography_code
),

-- why a figure is missing, the first reason that applies, as '<reason>|<detail>' (split into missing_reason and
-- missing_detail at the end; reports.missing words them from the labels missing:<reason>)
reasons as (
    select
        *,
        case
            when year_received_count = 0
                then 'followups_not_received|' || report_year
        end as source_missing,
        case
            when received_count = 0 and geography_type = 'municipality'
                then 'followup_not_received|' || due_date
            when received_count = 0
                then 'followups_none_received|' || owed_count
        end as reports_missing
    from totals
),

-- each indicator: its value, and the reason of its own (beyond a missing source or missing reports) for none
{%- set measures = [
    ('kk_actions_count', 'actions_count', 'null'),
    ('kk_actions_planned_count', 'planned_count', 'null'),
    ('kk_actions_ongoing_count', 'ongoing_count', 'null'),
    ('kk_actions_completed_count', 'completed_count', 'null'),
    ('kk_actions_cancelled_count', 'cancelled_count', 'null'),
    ('kk_actions_completed_share_pct',
        'case when actions_count > cancelled_count'
        ~ ' then 100.0 * cast(completed_count as double precision) / (actions_count - cancelled_count) end',
        "case when actions_count = cancelled_count then 'only_cancelled_actions|' end"),
    ('kk_investment_planned_msek',
        'cast(investment_sek as double precision) / 1000000',
        "case when without_investment_count > 0"
        ~ " then 'actions_without_investment|' || without_investment_count end"),
    ('kk_investment_external_msek',
        'cast(external_sek as double precision) / 1000000',
        "case when without_external_column_count > 0"
        ~ " then 'templates_without_external_column|' || without_external_column_count"
        ~ " when without_external_count > 0"
        ~ " then 'actions_without_external_funding|' || without_external_count end"),
    ('kk_investment_external_share_pct',
        'cast(100.0 * external_sek as double precision)'
        ~ ' / cast(nullif(investment_with_external_column_sek, 0) as double precision)',
        "case when with_external_column_count = 0"
        ~ " then 'no_template_with_external_column|'"
        ~ " when without_external_count > 0"
        ~ " then 'actions_without_external_funding|' || without_external_count"
        ~ " when investment_with_external_column_sek = 0 then 'no_planned_investment|' end"),
] %}
measures as (
    select
        report_year,
        due_date,
        geography_type,
        geography_code,
        'kk_followup_submitted_share_pct' as indicator_id,
        case when source_missing is null then 100.0 * cast(on_time_count as double precision) / owed_count end as value,
        source_missing as missing_reason
    from reasons
    where geography_type in ('programme', 'cohort')
    {%- for indicator_id, value, reason in measures %}
        union all
        select
            report_year,
            due_date,
            geography_type,
            geography_code,
            '{{ indicator_id }}' as indicator_id,
            case when coalesce(source_missing, reports_missing, {{ reason }}) is null then {{ value }} end as value,
            coalesce(source_missing, reports_missing, {{ reason }}) as missing_reason
        from reasons
    {%- endfor %}
),

final as (
    select
        indicator_id,
        cast(report_year as varchar) as period,
        -- the figure for year N exists once its follow-ups are due
        due_date as period_end_date,
        geography_type,
        geography_code,
        cast(value as double precision) as value,
        nullif(split_part(missing_reason, '|', 1), '') as missing_reason,
        case when missing_reason is not null then 'klimatkontrakt_followup' end as missing_sources,
        nullif(split_part(missing_reason, '|', 2), '') as missing_detail
    from measures
)

select * from final
