-- Every funding record with its amount in SEK: the programme office's ledger, and the Horizon Europe
-- participations of Swedish organisations in Cities Mission calls (HORIZON-MISS-<year>-CIT-...) and in the
-- Mission Platform project itself (NetZeroCities) from CORDIS, decided on the grant's EC signature date.
-- EUR amounts use the ECB reference rate of the decision date (the application date for open applications), or
-- the last rate published before it: weekends and TARGET holidays have none. A rate more than 7 days old is not
-- used: the amount in SEK stays empty. Instruments whose agreements say so (ref_funding_instruments.fx_method =
-- monthly_average) use the mean of the ECB rates of the decision date's month instead.
with

ledger as (
    select * from {{ ref('stg_funding_ledger__records') }}
),

cordis_projects as (
    select * from {{ ref('stg_cordis__projects') }}
),

cordis_organizations as (
    select * from {{ ref('stg_cordis__organizations') }}
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
        units_per_eur as sek_per_eur,
        -- the rate holds until the next one is published: each date falls in one [rate_date, next_rate_date)
        coalesce(lead(rate_date) over (order by rate_date), date '9999-12-31') as next_rate_date
    from rates
    where currency_code = 'SEK'
),

cordis_participations as (
    select
        'CORDIS-' || cordis_organizations.project_id || '-' || cordis_organizations.organisation_id as record_id,
        'HORIZON_EUROPE' as instrument_code,
        cordis_organizations.municipality_code,
        cordis_projects.topics as call_name,
        cordis_organizations.organisation_name as beneficiary,
        'awarded' as status,
        cast(null as date) as application_date,
        cordis_projects.ec_signature_date as decision_date,
        cordis_organizations.ec_contribution_eur as amount_as_entered,
        'EUR' as amount_unit,
        'EUR' as currency_code,
        cordis_organizations.ec_contribution_eur as amount_in_currency,
        cordis_organizations.source_file_sha256,
        cordis_organizations.source_file_name,
        cast(null as varchar) as source_sheet,
        cordis_organizations.source_row,
        cordis_organizations.vintage_at
    from cordis_organizations
    inner join cordis_projects on cordis_organizations.project_id = cordis_projects.project_id
    where
        cordis_organizations.country_code = 'SE'
        and (
            cordis_projects.is_cities_mission_topic
            or cordis_projects.project_id in ('{{ var("mission_platform_projects") | join("', '") }}')
        )
        and cordis_organizations.ec_contribution_eur is not null
),

records as (
    select
        'funding_ledger' as record_source,
        record_id,
        instrument_code,
        municipality_code,
        call_name,
        beneficiary,
        status,
        application_date,
        decision_date,
        amount_as_entered,
        amount_unit,
        currency_code,
        amount_in_currency,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from ledger
    union all
    select
        'cordis' as record_source,
        *
    from cordis_participations
),

monthly_eur_sek as (
    select
        date_trunc('month', rate_date) as rate_month,
        -- averaged exactly: a double average depends on the threads' order, and a rebuild must give the same bytes
        cast(sum({{ decimal_of_double('sek_per_eur', 6) }}) as double precision) / count(sek_per_eur) as sek_per_eur
    from eur_sek
    group by date_trunc('month', rate_date)
),

dated as (
    select
        records.*,
        coalesce(records.decision_date, records.application_date) as conversion_date,
        coalesce(instruments.fx_method, 'daily') as fx_method
    from records
    left join instruments on records.instrument_code = instruments.instrument_code
),

daily_converted as (
    select
        dated.*,
        eur_sek.rate_date as daily_rate_date,
        eur_sek.sek_per_eur as daily_sek_per_eur,
        {{ dbt.datediff(
            'eur_sek.rate_date', 'dated.conversion_date', 'day'
        ) }} <= 7 as has_recent_daily_rate
    from dated
    -- the last rate published on or before the conversion date
    left join eur_sek
        on
            dated.conversion_date >= eur_sek.rate_date
            and dated.conversion_date < eur_sek.next_rate_date
),

converted as (
    select
        daily_converted.*,
        case
            when daily_converted.fx_method = 'monthly_average' then cast(monthly_eur_sek.rate_month as date)
            else daily_converted.daily_rate_date
        end as candidate_rate_date,
        case
            when daily_converted.fx_method = 'monthly_average' then monthly_eur_sek.sek_per_eur
            else daily_converted.daily_sek_per_eur
        end as candidate_sek_per_eur,
        case
            when daily_converted.fx_method = 'monthly_average' then monthly_eur_sek.sek_per_eur is not null
            else daily_converted.has_recent_daily_rate
        end as has_recent_rate
    from daily_converted
    left join monthly_eur_sek
        on date_trunc('month', daily_converted.conversion_date) = monthly_eur_sek.rate_month
),

final as (
    select
        ---------- ids
        converted.record_id,
        converted.record_source,
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
        case when converted.currency_code = 'EUR' then converted.fx_method end as fx_method,
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
