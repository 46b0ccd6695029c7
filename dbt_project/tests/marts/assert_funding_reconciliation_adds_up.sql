-- Rule: the recipient groups of rpt_funding_reconciliation add up to the summary's cumulative international
-- funding for every quarter that has the figure, so the workbook's explanation of the annex's difference is the
-- whole difference (a quarter without the figure has no split: rpt_funding_reconciliation).
{{ config(meta={'dagster': {'ref': {'name': 'rpt_funding_reconciliation'}}}) }}

with

reconciliation as (
    select
        report_quarter,
        sum(amount_msek) as amount_msek
    from {{ ref('rpt_funding_reconciliation') }}
    group by report_quarter
),

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where
        indicator_id = 'intl_funding_awarded_msek_cumulative'
        and geography_type = 'programme'
        and value is not null
)

select
    coalesce(reconciliation.report_quarter, indicator_values.period) as report_quarter,
    reconciliation.amount_msek,
    indicator_values.value
from reconciliation
full outer join indicator_values on reconciliation.report_quarter = indicator_values.period
where
    reconciliation.amount_msek is null
    or indicator_values.value is null
    or abs(reconciliation.amount_msek - indicator_values.value) > 0.000001
