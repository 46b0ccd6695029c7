-- How the summary's cumulative international funding splits: to the municipalities in the programme at the
-- quarter's end (what the municipality annex adds up), to other municipalities, and to actors without a
-- municipality (national organisations, universities, companies). The three add up to
-- intl_funding_awarded_msek_cumulative. One row per report quarter and recipient group, for the quarters where
-- that figure exists: where it is missing (no ledger delivered), a split of nothing would read as zeros.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

reconciled_figure as (
    select period from {{ ref('fct_indicator_values') }}
    where
        indicator_id = 'intl_funding_awarded_msek_cumulative'
        and geography_type = 'programme'
        and value is not null
),

membership as (
    select * from {{ ref('fct_programme_membership') }}
),

funding as (
    select * from {{ ref('fct_funding_records') }}
    where status = 'awarded' and instrument_scope = 'international' and amount_sek is not null
),

groups as (
    select 'members' as recipient_group
    union all
    select 'other_municipalities' as recipient_group
    union all
    select 'no_municipality' as recipient_group
),

classified as (
    select
        quarters.period as report_quarter,
        case
            when funding.municipality_code is null then 'no_municipality'
            when membership.municipality_code is not null then 'members'
            else 'other_municipalities'
        end as recipient_group,
        funding.amount_sek
    from quarters
    inner join funding
        on
            quarters.quarter_end_date >= funding.decision_date
            and funding.decision_date >= (select min(all_quarters.quarter_start_date) from quarters as all_quarters)
    left join membership
        on
            quarters.period = membership.period
            and funding.municipality_code = membership.municipality_code
),

sums as (
    select
        report_quarter,
        recipient_group,
        count(*) as awards,
        cast(sum({{ decimal_of_double('amount_sek', 2) }}) as double precision) / 1000000 as amount_msek
    from classified
    group by report_quarter, recipient_group
),

final as (
    select
        quarters.period as report_quarter,
        groups.recipient_group,
        coalesce(sums.awards, 0) as awards,
        cast(coalesce(sums.amount_msek, 0) as double precision) as amount_msek
    from quarters
    inner join reconciled_figure on quarters.period = reconciled_figure.period
    cross join groups
    left join sums
        on
            quarters.period = sums.report_quarter
            and groups.recipient_group = sums.recipient_group
)

select * from final
