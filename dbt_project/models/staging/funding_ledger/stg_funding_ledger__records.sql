with

source as (
    select * from {{ source('funding_ledger', 'raw') }}
),

latest as (
    {{ latest_vintage('source', ['record_id']) }}
),

renamed as (
    select
        ---------- ids
        record_id,
        instrument_code,
        municipality_code,

        ---------- attributes
        call_name,
        beneficiary,
        status,
        application_date,
        decision_date,

        ---------- amounts: the ledger's figure, and the same in whole units of its currency
        amount as amount_as_entered,
        amount_unit,
        currency as currency_code,
        amount * case amount_unit
            when 'tkr' then 1000
            when 'MSEK' then 1000000
            when 'tEUR' then 1000
            when 'MEUR' then 1000000
            else 1
        end as amount_in_currency,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from latest
)

select * from renamed
