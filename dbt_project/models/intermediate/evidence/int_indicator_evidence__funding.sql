-- Evidence of the funding indicators (see rpt_indicator_evidence): every award row with its amount as entered,
-- unit, currency and the rate it was converted at, and the ECB rate rows used.
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

eur_sek as (
    select * from {{ ref('stg_ecb_rates__daily') }}
    where currency_code = 'SEK'
),

---------- every award row, once per figure it counts in

awards as (
    select
        record_id,
        case when record_source = 'cordis' then 'cordis_organizations' else record_source end as source_name,
        instrument_code,
        instrument_scope,
        is_green_loan,
        municipality_code,
        status,
        decision_date,
        amount_as_entered as original_amount,
        amount_unit as original_unit,
        currency_code as original_currency,
        fx_method,
        fx_rate_date,
        fx_sek_per_eur,
        amount_sek,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from funding
),

-- every award decided by a quarter's end counts in the cumulative figure and in the leverage ratio's numerator;
-- one with a municipality also in that municipality's cumulative figure
cumulative_indicators as (
    select
        'intl_funding_awarded_msek_cumulative' as indicator_id,
        'value' as part
    union all
    select
        'funding_leverage_ratio' as indicator_id,
        'numerator' as part
),

award_geographies as (
    select 'programme' as geography_type
    union all
    select 'municipality' as geography_type
),

-- an awarded application counts in the success rate's numerator and denominator, a rejected one in the latter
application_parts as (
    select
        'numerator' as part,
        'awarded_application' as role
    union all
    select
        'denominator' as part,
        'decided_application' as role
),

funding_parts as (
    select
        'intl_funding_awarded_msek_quarter' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'award' as role,
        cast(awards.amount_sek as double precision) / 1000000 as contribution,
        awards.*
    from quarters
    inner join awards
        on
            awards.status = 'awarded' and awards.instrument_scope = 'international'
            and awards.decision_date between quarters.quarter_start_date and quarters.quarter_end_date
    union all
    select
        indicators.indicator_id,
        quarters.period,
        geographies.geography_type,
        case when geographies.geography_type = 'municipality' then awards.municipality_code else 'SE' end
            as geography_code,
        indicators.part,
        'award' as role,
        cast(awards.amount_sek as double precision) / 1000000 as contribution,
        awards.*
    from quarters
    inner join awards
        on
            awards.status = 'awarded' and awards.instrument_scope = 'international'
            and quarters.quarter_end_date >= awards.decision_date
    cross join cumulative_indicators as indicators
    inner join award_geographies as geographies
        on
            geographies.geography_type = 'programme'
            or (
                indicators.indicator_id = 'intl_funding_awarded_msek_cumulative'
                and awards.municipality_code is not null
            )
    union all
    select
        'funding_leverage_ratio' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'denominator' as part,
        'national_programme_award' as role,
        cast(awards.amount_sek as double precision) / 1000000 as contribution,
        awards.*
    from quarters
    inner join awards
        on
            awards.status = 'awarded'
            and awards.instrument_code in ('ENERGIMYNDIGHETEN', 'VINNOVA', 'FORMAS', 'VIABLE_CITIES')
            and quarters.quarter_end_date >= awards.decision_date
    union all
    select
        'green_loans_msek_cumulative' as indicator_id,
        membership.period,
        'programme' as geography_type,
        'SE' as geography_code,
        'value' as part,
        'green_loan' as role,
        cast(awards.amount_sek as double precision) / 1000000 as contribution,
        awards.*
    from membership
    inner join awards
        on
            membership.municipality_code = awards.municipality_code
            and awards.is_green_loan
            and awards.status = 'awarded'
            and membership.quarter_end_date >= awards.decision_date
    union all
    -- decided applications to international instruments in the four quarters up to the quarter's end
    select
        'application_success_rate_pct' as indicator_id,
        quarters.period,
        'programme' as geography_type,
        'SE' as geography_code,
        parts.part,
        parts.role,
        1.0 as contribution,
        awards.*
    from quarters
    inner join awards
        on
            awards.instrument_scope = 'international'
            and awards.status in ('awarded', 'rejected')
            and quarters.quarter_end_date >= awards.decision_date
            and awards.decision_date > quarters.quarter_end_date - interval '1 year'
    inner join application_parts as parts
        on parts.part = 'denominator' or awards.status = 'awarded'
),

funding_evidence as (
    select
        indicator_id,
        period,
        geography_type,
        geography_code,
        part,
        role,
        contribution,
        source_name,
        record_id as item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at,
        original_amount,
        original_unit,
        original_currency,
        fx_sek_per_eur,
        fx_rate_date
    from funding_parts
),

-- the ECB row(s) each amount in EUR was converted at: the day's reference rate, or every rate of the month for
-- instruments converted at the monthly average
rate_evidence as (
    select
        funding_parts.indicator_id,
        funding_parts.period,
        funding_parts.geography_type,
        funding_parts.geography_code,
        'supporting' as part,
        'exchange_rate' as role,
        eur_sek.units_per_eur as contribution,
        'ecb_rates' as source_name,
        funding_parts.record_id || ': SEK/EUR ' || eur_sek.rate_date as item,
        eur_sek.source_file_sha256,
        eur_sek.source_file_name,
        cast(null as varchar) as source_sheet,
        eur_sek.source_row,
        eur_sek.vintage_at,
        cast(null as double precision) as original_amount,
        cast(null as varchar) as original_unit,
        cast(null as varchar) as original_currency,
        cast(null as double precision) as fx_sek_per_eur,
        cast(null as date) as fx_rate_date
    from funding_parts
    inner join eur_sek
        on
            funding_parts.original_currency = 'EUR'
            and funding_parts.contribution is not null
            and funding_parts.part <> 'supporting'
            and funding_parts.role not in ('awarded_application', 'decided_application')
            and (
                (funding_parts.fx_method = 'daily' and funding_parts.fx_rate_date = eur_sek.rate_date)
                or (
                    funding_parts.fx_method = 'monthly_average'
                    and date_trunc('month', eur_sek.rate_date) = funding_parts.fx_rate_date
                )
            )
),

unioned as (
    select * from funding_evidence
    union all
    select * from rate_evidence
)

select * from unioned
