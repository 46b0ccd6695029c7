-- The newest templates' internal-consistency warnings: a Summa row that disagrees with its actions, an amount
-- typed as text that a spreadsheet's SUM leaves out. The file was accepted; the warning names file, sheet, cell.
with

newest_submission as (
    select * from {{ ref('base_klimatkontrakt_followup__newest') }}
),

renamed as (
    select
        ---------- ids
        municipality_code,
        report_year,
        check_cell as cell_reference,

        ---------- attributes
        check_rule as warning_rule,
        action_no as action_id,
        check_message as message,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from newest_submission
    where record_type = 'warning'
)

select * from renamed
