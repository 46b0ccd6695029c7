-- One row per municipality and report year: the newest submitted template replaces earlier ones whole.
with

source as (
    select * from {{ source('klimatkontrakt_followup', 'raw') }}
),

newest_submission as (
    {{ newest_file_rows('source', ['municipality_code', 'report_year']) }}
),

actions as (
    select
        municipality_code,
        report_year,
        count(*) as action_count,
        -- summed exactly: a double sum depends on the order of the rows, which differs between engines and runs
        cast(sum({{ decimal_of_double('investment_tkr', 6) }}) as double precision) as investment_tkr_sum
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
