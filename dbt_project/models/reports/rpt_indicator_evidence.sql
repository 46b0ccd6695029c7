{{ config(materialized='view') }}
-- The evidence behind each figure of fct_indicator_values, for every catalogue indicator and every geography it
-- is published for: every source row that contributes, with its file's SHA-256, original name, sheet, row and
-- vintage. part says what the row is to the figure, by the catalogue's formula_kind:
--   count, sum: value rows add up to the figure (counts: 1 a row);
--   share:      100 * sum(numerator) / sum(denominator);
--   ratio:      sum(numerator) / sum(denominator);
--   change:     100 * (sum(current) / sum(baseline) - 1);
--   supporting: rows the figure rests on without adding to it (the ECB rate row an amount in EUR was converted
--               at, a NetZeroCities award that makes a member count, the emissions behind an on-track verdict).
-- Funding rows carry the amount as entered, its unit and currency, and the rate used. A view: evaluated only when
-- traced (or when a value is implausible, tests/marts/assert_indicator_values_plausible.sql).
with

directions_1_2 as (
    select * from {{ ref('int_indicator_evidence__directions_1_2') }}
),

funding as (
    select * from {{ ref('int_indicator_evidence__funding') }}
),

impact as (
    select * from {{ ref('int_indicator_evidence__impact') }}
),

followups as (
    select * from {{ ref('int_indicator_evidence__followups') }}
),

without_amounts as (
    select * from directions_1_2
    union all
    select * from impact
    union all
    select * from followups
),

-- the funding rows carry the amount as entered and the rate, which the others lack (the same columns in the same
-- order before them: a union is by position on PostgreSQL)
unioned as (
    select
        *,
        cast(null as double precision) as original_amount,
        cast(null as varchar) as original_unit,
        cast(null as varchar) as original_currency,
        cast(null as double precision) as fx_sek_per_eur,
        cast(null as date) as fx_rate_date
    from without_amounts
    union all
    select * from funding
),

final as (
    select
        ---------- the figure
        indicator_id,
        period,
        geography_type,
        geography_code,

        ---------- what the row is to it
        part,
        role,
        cast(contribution as double precision) as contribution,

        ---------- the source row
        source_name,
        item,
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at,

        ---------- funding: the amount as entered and the rate it was converted at
        original_amount,
        original_unit,
        original_currency,
        fx_sek_per_eur,
        fx_rate_date
    from unioned
)

select * from final
