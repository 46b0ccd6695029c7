-- Rule: an awarded amount more than 1000 times the median award of its instrument is suspect: a ledger entered
-- in kr where the unit column says tkr, or an extra three zeros. A warning: it shows in the workbook's
-- data-quality sheet for the programme office to confirm or correct; it does not block publishing.
{{ config(severity='warn') }}

with

awards as (
    select * from {{ ref('fct_funding_records') }}
    where status = 'awarded' and amount_sek > 0
),

medians as (
    select
        instrument_code,
        {{ median('amount_sek') }} as median_amount_sek,
        count(*) as awards
    from awards
    group by instrument_code
),

suspect as (
    select
        awards.record_id,
        awards.instrument_code,
        awards.amount_sek,
        medians.median_amount_sek,
        awards.source_file_name,
        awards.source_row
    from awards
    inner join medians on awards.instrument_code = medians.instrument_code
    where medians.awards >= 5 and awards.amount_sek > 1000 * medians.median_amount_sek
)

select * from suspect
