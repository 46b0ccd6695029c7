-- Every funding record with its amount in SEK. EUR amounts use the ECB reference rate of the decision date
-- (the application date for open applications), or the last rate published before it: weekends and TARGET
-- holidays have none. A rate more than 7 days old is not used: the amount in SEK stays empty.
with

records as (
    select * from {{ ref('stg_funding_ledger__records') }}
),

rates as (
    select * from {{ ref('stg_ecb_rates__daily') }}
),

instruments as (
    select * from {{ ref('ref_funding_instruments') }}
),

eur_sek as (
    select
        rate_date,
        units_per_eur as sek_per_eur
    from rates
    where currency_code = 'SEK'
),

dated as (
    select
        *,
        coalesce(decision_date, application_date) as conversion_date
    from records
),

converted as (
    select
        dated.*,
        eur_sek.rate_date as candidate_rate_date,
        eur_sek.sek_per_eur as candidate_sek_per_eur,
        datediff('day', eur_sek.rate_date, dated.conversion_date) <= 7 as has_recent_rate
    from dated
    asof left join eur_sek
        on dated.conversion_date >= eur_sek.rate_date
),

final as (
    select
        ---------- ids
        converted.record_id,
        converted.instrument_code,
        converted.municipality_code,

        ---------- attributes
        instruments.instrument_name_en,
        instruments.scope as instrument_scope,
        instruments.is_green_loan,
        converted.call_name,
        converted.beneficiary,
        converted.status,
        converted.application_date,
        converted.decision_date,

        ---------- amounts
        converted.amount_as_entered,
        converted.amount_unit,
        converted.currency_code,
        converted.amount_in_currency,
        case
            when converted.currency_code = 'EUR' and converted.has_recent_rate then converted.candidate_rate_date
        end as fx_rate_date,
        case
            when converted.currency_code = 'EUR' and converted.has_recent_rate then converted.candidate_sek_per_eur
        end as fx_sek_per_eur,
        case
            when converted.currency_code = 'SEK' then converted.amount_in_currency
            when converted.has_recent_rate then converted.amount_in_currency * converted.candidate_sek_per_eur
        end as amount_sek,

        ---------- lineage
        converted.source_file_sha256,
        converted.source_file_name,
        converted.source_sheet,
        converted.source_row,
        converted.vintage_at
    from converted
    left join instruments
        on converted.instrument_code = instruments.instrument_code
)

select * from final
