-- Direction 3, mobilising finance: international funding awarded (per quarter and cumulative, programme and
-- municipality), the application success rate, leverage on national programme funding, green loans.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

funding as (
    select * from {{ ref('fct_funding_records') }}
),

international_awards as (
    select * from funding
    where status = 'awarded' and instrument_scope = 'international'
),

-- per quarter; decimal sums are exact, so the same input always gives the same figure
quarterly_by_municipality as (
    select
        quarters.period,
        quarters.quarter_end_date,
        international_awards.municipality_code,
        sum(international_awards.amount_sek) as amount_sek
    from quarters
    inner join international_awards
        on international_awards.decision_date between quarters.quarter_start_date and quarters.quarter_end_date
    group by quarters.period, quarters.quarter_end_date, international_awards.municipality_code
),

-- SEK per quarter and to date, kept decimal so that the running sum is exact; in MSEK (a double) only at the end
intl_sek_by_quarter as (
    select
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        coalesce(sum(quarterly_by_municipality.amount_sek), 0) as quarter_sek
    from quarters
    left join quarterly_by_municipality on quarters.period = quarterly_by_municipality.period
    group by quarters.period, quarters.quarter_end_date
),

intl_sek_to_date as (
    select
        period,
        period_end_date,
        quarter_sek,
        sum(quarter_sek) over (order by period_end_date rows between unbounded preceding and current row)
            as cumulative_sek
    from intl_sek_by_quarter
),

intl_quarter_programme as (
    select
        'intl_funding_awarded_msek_quarter' as indicator_id,
        period,
        period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(quarter_sek as double precision) / 1000000 as value
    from intl_sek_to_date
),

intl_cumulative_programme as (
    select
        'intl_funding_awarded_msek_cumulative' as indicator_id,
        period,
        period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(cumulative_sek as double precision) / 1000000 as value
    from intl_sek_to_date
),

intl_cumulative_municipality as (
    select
        'intl_funding_awarded_msek_cumulative' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'municipality' as geography_type,
        awarded.municipality_code as geography_code,
        cast(sum(awarded.amount_sek) as double precision) / 1000000 as value
    from quarters
    inner join quarterly_by_municipality as awarded
        on quarters.quarter_end_date >= awarded.quarter_end_date
    where awarded.municipality_code is not null
    group by quarters.period, quarters.quarter_end_date, awarded.municipality_code
),

-- decided applications to international instruments in the four quarters up to each quarter's end
decided_international as (
    select * from funding
    where instrument_scope = 'international' and status in ('awarded', 'rejected')
),

application_success_rate as (
    select
        'application_success_rate_pct' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        100.0 * cast(count(*) filter (where decided_international.status = 'awarded') as double precision)
        / nullif(count(decided_international.record_id), 0) as value
    from quarters
    left join decided_international
        on
            quarters.quarter_end_date >= decided_international.decision_date
            and decided_international.decision_date > quarters.quarter_end_date - interval '1 year'
    group by quarters.period, quarters.quarter_end_date
),

national_programme_awards as (
    select * from funding
    where status = 'awarded' and instrument_code in ('ENERGIMYNDIGHETEN', 'VINNOVA', 'FORMAS', 'VIABLE_CITIES')
),

national_cumulative as (
    select
        quarters.period,
        cast(sum(national_programme_awards.amount_sek) as double precision) / 1000000 as value
    from quarters
    inner join national_programme_awards on quarters.quarter_end_date >= national_programme_awards.decision_date
    group by quarters.period
),

funding_leverage as (
    select
        'funding_leverage_ratio' as indicator_id,
        intl.period,
        intl.period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        intl.value / nullif(national_cumulative.value, 0) as value
    from intl_cumulative_programme as intl
    left join national_cumulative on intl.period = national_cumulative.period
),

-- green loans decided for municipalities that are members at the quarter's end
green_loans as (
    select
        'green_loans_msek_cumulative' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        cast(coalesce(sum(loans.amount_sek), 0) as double precision) / 1000000 as value
    from quarters
    left join membership on quarters.period = membership.period
    left join funding as loans
        on
            membership.municipality_code = loans.municipality_code
            and loans.is_green_loan
            and loans.status = 'awarded'
            and quarters.quarter_end_date >= loans.decision_date
    group by quarters.period, quarters.quarter_end_date
),

unioned as (
    select * from intl_quarter_programme
    union all
    select * from intl_cumulative_programme
    union all
    select * from intl_cumulative_municipality
    union all
    select * from application_success_rate
    union all
    select * from funding_leverage
    union all
    select * from green_loans
)

select
    indicator_id,
    period,
    period_end_date,
    geography_type,
    geography_code,
    cast(value as double precision) as value
from unioned
