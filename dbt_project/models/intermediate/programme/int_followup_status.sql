-- For every report year whose follow-up is due by the last closed quarter: one row per municipality that owes a
-- follow-up (a member on 31 December of the report year), with whether it arrived by the due date (the last day of
-- February of the next year, the contract's cadence), late, or not at all, and what the newest report holds.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

reports as (
    select * from {{ ref('stg_klimatkontrakt_followup__reports') }}
),

report_years as (
    select
        cast(left(period, 4) as integer) as report_year,
        period as year_end_period,
        cast(
            make_date(cast(left(period, 4) as integer) + 1, {{ var('followup_due_month') }} + 1, 1) - interval '1 day'
            as date
        ) as due_date
    from quarters
    where period like '%Q4' and cast(left(period, 4) as integer) >= {{ var('followup_first_report_year') }}
),

due_years as (
    select * from report_years
    where due_date <= (select max(quarters.quarter_end_date) from quarters)
),

final as (
    select
        ---------- ids
        due_years.report_year,
        membership.municipality_code,

        ---------- who owes it and when
        membership.cohort_year,
        due_years.due_date,

        ---------- what arrived
        reports.first_received_on,
        case
            when reports.municipality_code is null then 'missing'
            when reports.first_received_on <= due_years.due_date then 'on_time'
            else 'late'
        end as followup_status,
        reports.template_version,
        reports.template_version in ({{ "'" ~ var('followup_versions_with_external_funding') | join("', '") ~ "'" }})
            as has_external_funding_column,

        ---------- lineage: the register row that makes the municipality owe it, the report that answers it
        membership.source_file_sha256 as register_file_sha256,
        membership.source_file_name as register_file_name,
        membership.source_row as register_row,
        membership.vintage_at as register_vintage_at,
        reports.source_file_sha256,
        reports.source_file_name,
        reports.source_sheet,
        reports.source_row,
        reports.vintage_at
    from due_years
    inner join membership on due_years.year_end_period = membership.period
    left join reports
        on
            membership.municipality_code = reports.municipality_code
            and due_years.report_year = reports.report_year
)

select * from final
