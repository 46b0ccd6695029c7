-- One row per municipality and report year: the newest submitted template replaces earlier ones whole.
with

source as (
    select * from {{ source('klimatkontrakt_followup', 'raw') }}
),

-- a template is a snapshot of its municipality and report year (delivery_scope): the newest replaces it whole
newest_submission as (
    select * from source
    {{ newest_delivery() }}
),

actions as (
    select
        municipality_code,
        report_year,
        count(*) as action_count,
        sum(investment_tkr) as investment_tkr_sum
    from newest_submission
    where record_type = 'action'
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
        reports.contact_person,
        reports.submitted_on,
        reports.key_updates,
        coalesce(actions.action_count, 0) as action_count,

        ---------- amounts: as stated on the Summa row, and the sum of the accepted action rows (SEK)
        reports.investment_total_tkr * 1000 as investment_total_sek_stated,
        actions.investment_tkr_sum * 1000 as investment_total_sek,

        ---------- lineage
        reports.source_file_sha256,
        reports.source_file_name,
        reports.source_sheet,
        reports.source_row,
        reports.vintage_at
    from reports
    left join actions
        on
            reports.municipality_code = actions.municipality_code
            and reports.report_year = actions.report_year
)

select * from renamed
