-- Rule: a catalogue target lies on the desired side of its baseline (at or above it for an indicator that should
-- increase, at or below it for one that should decrease). A target on the wrong side makes the indicator
-- "achieved" from the start whatever it does, so this blocks publishing until the catalogue row is corrected.
-- The baseline is the one the status is computed from: the catalogue's, or the indicator's own value in the
-- baseline year (fct_indicator_values.baseline_value), at programme level where the target applies.
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator_values'}}}) }}

with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where
        geography_type = 'programme'
        and target_value is not null
        and baseline_value is not null
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

baselines as (
    select distinct
        indicator_values.indicator_id,
        catalogue.desired_direction,
        indicator_values.baseline_value,
        indicator_values.baseline_year,
        indicator_values.target_value,
        indicator_values.target_year
    from indicator_values
    inner join catalogue on indicator_values.indicator_id = catalogue.indicator_id
)

select * from baselines
where
    (desired_direction = 'increase' and target_value < baseline_value)
    or (desired_direction = 'decrease' and target_value > baseline_value)
