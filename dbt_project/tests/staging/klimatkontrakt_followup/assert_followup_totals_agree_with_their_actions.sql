-- Rule: a follow-up template's arithmetic agrees with itself: its Summa row equals the sum of its actions, and no
-- amount is typed as text (which the reader takes as the number but a spreadsheet's SUM leaves out). A warning:
-- the figures use the actions as read; each row names file, sheet and cell for the municipality to correct.
{{ config(severity='warn') }}

with

warnings as (
    select * from {{ ref('stg_klimatkontrakt_followup__warnings') }}
)

select
    source_file_name,
    source_sheet,
    cell_reference,
    warning_rule,
    message
from warnings
