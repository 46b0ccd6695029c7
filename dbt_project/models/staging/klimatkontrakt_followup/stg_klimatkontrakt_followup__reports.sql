-- One row per municipality and report year: the newest submitted template replaces earlier ones whole. When it
-- was received is the first submission's date: a correction sent later does not make a report late.
with

source as (
    select * from {{ source('klimatkontrakt_followup', 'raw') }}
),

-- a template is a snapshot of its municipality and report year (delivery_scope): the newest replaces it whole
newest_submission as (
    select * from {{ ref('base_klimatkontrakt_followup__newest') }}
),

-- the form's date, unless it is empty or later than the delivery itself
submissions as (
    select
        municipality_code,
        report_year,
        least(
            coalesce(submitted_on, cast(vintage_at at time zone 'UTC' as date)),
            cast(vintage_at at time zone 'UTC' as date)
        ) as received_on
    from source
    where record_type = 'report'
),

first_received as (
    select
        municipality_code,
        report_year,
        min(received_on) as first_received_on
    from submissions
    group by municipality_code, report_year
),

actions as (
    select
        municipality_code,
        report_year,
        count(*) as action_count,
        -- an exact sum: a sum of doubles depends on the rows' order (macros/cross_db.sql)
        sum({{ decimal_of_double('investment_tkr', 6) }}) as investment_tkr_sum
    from newest_submission
    where record_type = 'action'
    group by municipality_code, report_year
),

warnings as (
    select
        municipality_code,
        report_year,
        count(*) as warning_count
    from newest_submission
    where record_type = 'warning'
    group by municipality_code, report_year
),

reports as (
    select * from newest_submission
    where record_type = 'report'
),

renamed as (
    select
        ---------- ids
        reports.municipality_code,
        reports.report_year,

        ---------- attributes
        reports.municipality_name,
        reports.template_version,
        reports.wave,
        reports.contact_person,
        reports.submitted_on,
        first_received.first_received_on,
        reports.key_updates,
        coalesce(actions.action_count, 0) as action_count,
        coalesce(warnings.warning_count, 0) as warning_count,

        ---------- amounts: as stated on the Summa row, and the sum of the accepted action rows (SEK)
        reports.investment_total_tkr * 1000 as investment_total_sek_stated,
        cast(actions.investment_tkr_sum * 1000 as double precision) as investment_total_sek,

        ---------- lineage
        reports.source_file_sha256,
        reports.source_file_name,
        reports.source_sheet,
        reports.source_row,
        reports.vintage_at
    from reports
    inner join first_received
        on
            reports.municipality_code = first_received.municipality_code
            and reports.report_year = first_received.report_year
    left join actions
        on
            reports.municipality_code = actions.municipality_code
            and reports.report_year = actions.report_year
    left join warnings
        on
            reports.municipality_code = warnings.municipality_code
            and reports.report_year = warnings.report_year
)

select * from renamed
