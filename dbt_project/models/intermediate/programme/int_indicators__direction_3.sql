-- Direction 3, mobilising finance: international funding awarded (per quarter and cumulative, programme and
-- municipality), the application success rate, leverage on national programme funding, green loans.
-- An award in EUR without an ECB rate has no amount in SEK: every sum it belongs to is missing (rate_missing,
-- with the number of such awards), never summed as if it were zero.
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

-- per quarter; decimal sums (in öre, rounded alike on both engines) are exact, so the same input always gives the
-- same figure
quarterly_by_municipality as (
    select
        quarters.period,
        quarters.quarter_end_date,
        international_awards.municipality_code,
        sum({{ decimal_of_double('international_awards.amount_sek', 2) }}) as amount_sek,
        count(*) filter (where international_awards.amount_sek is null) as awards_without_rate
    from quarters
    inner join international_awards
        on international_awards.decision_date between quarters.quarter_start_date and quarters.quarter_end_date
    group by quarters.period, quarters.quarter_end_date, international_awards.municipality_code
),

-- SEK per quarter and to date, kept decimal so that the running sum is exact; in MSEK (a double) only at the end
intl_quarter_sek as (
    select
        quarters.period,
        quarters.quarter_end_date,
        coalesce(sum(quarterly_by_municipality.amount_sek), 0) as amount_sek,
        cast(coalesce(sum(quarterly_by_municipality.awards_without_rate), 0) as bigint) as awards_without_rate
    from quarters
    left join quarterly_by_municipality on quarters.period = quarterly_by_municipality.period
    group by quarters.period, quarters.quarter_end_date
),

intl_cumulative_sek as (
    select
        period,
        quarter_end_date,
        sum(amount_sek) over to_date as amount_sek,
        cast(sum(awards_without_rate) over to_date as bigint) as awards_without_rate
    from intl_quarter_sek
    window to_date as (order by quarter_end_date rows between unbounded preceding and current row)
),

intl_quarter_totals as (
    select
        period,
        quarter_end_date,
        cast(amount_sek as double precision) / 1000000 as amount_msek,
        awards_without_rate
    from intl_quarter_sek
),

intl_cumulative_totals as (
    select
        period,
        quarter_end_date,
        cast(amount_sek as double precision) / 1000000 as amount_msek,
        awards_without_rate
    from intl_cumulative_sek
),

intl_programme as (
    select
        'intl_funding_awarded_msek_quarter' as indicator_id,
        *
    from intl_quarter_totals
    union all
    select
        'intl_funding_awarded_msek_cumulative' as indicator_id,
        *
    from intl_cumulative_totals
),

intl_programme_values as (
    select
        indicator_id,
        period,
        quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        case when awards_without_rate = 0 then amount_msek end as value,
        awards_without_rate
    from intl_programme
),

intl_cumulative_municipality as (
    select
        'intl_funding_awarded_msek_cumulative' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'municipality' as geography_type,
        awarded.municipality_code as geography_code,
        case
            when sum(awarded.awards_without_rate) = 0 then cast(sum(awarded.amount_sek) as double precision) / 1000000
        end as value,
        cast(sum(awarded.awards_without_rate) as bigint) as awards_without_rate
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
        / nullif(count(decided_international.record_id), 0) as value,
        case when count(decided_international.record_id) = 0 then 'no_decided_applications' end as missing_reason,
        case
            when count(decided_international.record_id) = 0 then 'funding_ledger; cordis_projects; cordis_organizations'
        end as missing_sources,
        cast(null as varchar) as missing_detail
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
        cast(sum({{ decimal_of_double('national_programme_awards.amount_sek', 2) }}) as double precision) / 1000000
            as amount_msek,
        count(national_programme_awards.record_id) as awards,
        count(national_programme_awards.record_id) filter (where national_programme_awards.amount_sek is null)
            as awards_without_rate
    from quarters
    left join national_programme_awards on quarters.quarter_end_date >= national_programme_awards.decision_date
    group by quarters.period
),

funding_leverage as (
    select
        'funding_leverage_ratio' as indicator_id,
        intl.period,
        intl.period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        intl.value / nullif(national_cumulative.amount_msek, 0) as value,
        case
            when intl.awards_without_rate + national_cumulative.awards_without_rate > 0 then 'rate_missing'
            when coalesce(national_cumulative.amount_msek, 0) = 0 then 'no_national_funding'
        end as missing_reason,
        case
            when intl.awards_without_rate + national_cumulative.awards_without_rate > 0 then 'ecb_rates'
            when coalesce(national_cumulative.amount_msek, 0) = 0 then 'funding_ledger'
        end as missing_sources,
        case
            when intl.awards_without_rate + national_cumulative.awards_without_rate > 0
                then cast(intl.awards_without_rate + national_cumulative.awards_without_rate as varchar)
        end as missing_detail
    from intl_programme_values as intl
    inner join national_cumulative on intl.period = national_cumulative.period
    where intl.indicator_id = 'intl_funding_awarded_msek_cumulative'
),

-- green loans decided for municipalities that are members at the quarter's end
green_loans as (
    select
        'green_loans_msek_cumulative' as indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        'programme' as geography_type,
        'SE' as geography_code,
        case
            when count(loans.record_id) filter (where loans.amount_sek is null) = 0
                then
                    cast(coalesce(sum({{ decimal_of_double('loans.amount_sek', 2) }}), 0) as double precision)
                    / 1000000
        end as value,
        count(loans.record_id) filter (where loans.amount_sek is null) as awards_without_rate
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

sums as (
    select * from intl_programme_values
    union all
    select * from intl_cumulative_municipality
    union all
    select * from green_loans
),

sums_with_reasons as (
    select
        indicator_id,
        period,
        period_end_date,
        geography_type,
        geography_code,
        value,
        case when awards_without_rate > 0 then 'rate_missing' end as missing_reason,
        case when awards_without_rate > 0 then 'ecb_rates' end as missing_sources,
        case when awards_without_rate > 0 then cast(awards_without_rate as varchar) end as missing_detail
    from sums
),

unioned as (
    select * from sums_with_reasons
    union all
    select * from application_success_rate
    union all
    select * from funding_leverage
)

select
    indicator_id,
    period,
    period_end_date,
    geography_type,
    geography_code,
    cast(value as double precision) as value,
    missing_reason,
    missing_sources,
    missing_detail
from unioned
