-- Annex: for every report quarter, the funding awarded up to its end by instrument, decision year and
-- municipality, in the currency awarded and in SEK, with the exchange rates used (EUR records are converted
-- one by one at their own decision date's rate).
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

funding as (
    select * from {{ ref('fct_funding_records') }}
    where status = 'awarded'
),

instruments as (
    select * from {{ ref('ref_funding_instruments') }}
),

final as (
    select
        quarters.period as report_quarter,
        funding.instrument_code,
        cast(extract(year from funding.decision_date) as integer) as decision_year,
        coalesce(funding.municipality_code, '') as municipality_code,
        min(funding.instrument_name_en) as instrument_name_en,
        min(instruments.instrument_name_sv) as instrument_name_sv,
        min(funding.instrument_scope) as instrument_scope,
        count(*) as awards,
        sum({{ decimal_of_double('funding.amount_in_currency', 2) }}) filter (where funding.currency_code = 'EUR')
            as amount_eur,
        sum({{ decimal_of_double('funding.amount_sek', 2) }}) as amount_sek,
        min(funding.fx_sek_per_eur) as min_sek_per_eur,
        max(funding.fx_sek_per_eur) as max_sek_per_eur,
        count(*) filter (where funding.amount_sek is null) as awards_without_rate
    from quarters
    inner join funding on quarters.quarter_end_date >= funding.decision_date
    left join instruments on funding.instrument_code = instruments.instrument_code
    group by
        quarters.period,
        funding.instrument_code,
        cast(extract(year from funding.decision_date) as integer),
        coalesce(funding.municipality_code, '')
)

select * from final
