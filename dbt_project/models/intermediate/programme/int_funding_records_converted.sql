-- Funding records in SEK. EUR amounts use the ECB reference rate of the decision date (the application date
-- for open applications), or the last rate published before it: weekends and TARGET holidays have none.
with

records as (
    select * from {{ ref('stg_funding_ledger__records') }}
),

eur_sek as (
    select
        rate_date,
        units_per_eur as sek_per_eur
    from {{ ref('stg_ecb_rates__daily') }}
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
        case when dated.currency_code = 'EUR' then eur_sek.rate_date end as fx_rate_date,
        case when dated.currency_code = 'EUR' then eur_sek.sek_per_eur end as fx_sek_per_eur,
        case
            when dated.currency_code = 'SEK' then dated.amount_in_currency
            when datediff('day', eur_sek.rate_date, dated.conversion_date) <= 7
                then dated.amount_in_currency * eur_sek.sek_per_eur
        end as amount_sek
    from dated
    asof left join eur_sek
        on dated.conversion_date >= eur_sek.rate_date
)

select * from converted
