with

records as (
    select * from {{ ref('int_funding_records_converted') }}
),

instruments as (
    select * from {{ ref('ref_funding_instruments') }}
),

final as (
    select
        ---------- ids
        records.record_id,
        records.instrument_code,
        records.municipality_code,

        ---------- attributes
        instruments.instrument_name_en,
        instruments.scope as instrument_scope,
        instruments.is_green_loan,
        records.call_name,
        records.beneficiary,
        records.status,
        records.application_date,
        records.decision_date,

        ---------- amounts
        records.amount_as_entered,
        records.amount_unit,
        records.currency_code,
        records.amount_in_currency,
        records.fx_rate_date,
        records.fx_sek_per_eur,
        records.amount_sek,

        ---------- lineage
        records.source_file_sha256,
        records.source_file_name,
        records.source_sheet,
        records.source_row,
        records.vintage_at
    from records
    left join instruments
        on records.instrument_code = instruments.instrument_code
)

select * from final
