-- One row per action of the newest submitted template per municipality and report year.
with

newest_submission as (
    select * from {{ ref('base_klimatkontrakt_followup__newest') }}
),

renamed as (
    select
        ---------- ids
        municipality_code,
        report_year,
        action_no as action_id,

        ---------- attributes
        template_version,
        action_name,
        action_status,
        sector,
        comment,

        ---------- amounts (SEK; the template asks for tkr)
        investment_tkr * 1000 as investment_sek,
        external_funding_tkr * 1000 as external_funding_sek,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from newest_submission
    where record_type = 'action'
)

select * from renamed
