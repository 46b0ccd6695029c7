-- The method and indicator-metadata sheets: each indicator as the programme office keeps it in the catalogue,
-- with the baseline the status is computed from (the catalogue's, or the indicator's own value in the baseline
-- year at programme level). One row per indicator.
with

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where geography_type in ('programme', 'comparison')
),

baselines as (
    select
        indicator_id,
        max(baseline_value) as baseline_value
    from indicator_values
    group by indicator_id
),

final as (
    select
        catalogue.indicator_id,
        catalogue.sort_order,
        catalogue.goal,
        catalogue.goal_type,
        catalogue.name_sv,
        catalogue.name_en,
        catalogue.definition_sv,
        catalogue.definition_en,
        catalogue.unit,
        catalogue.formula as formula_en,
        catalogue.formula_sv,
        catalogue.desired_direction,
        coalesce(catalogue.baseline_value, baselines.baseline_value) as baseline_value,
        catalogue.baseline_value is null as is_baseline_computed,
        catalogue.baseline_year,
        catalogue.target_value,
        catalogue.target_year,
        catalogue.target_scope,
        catalogue.on_track_ratio,
        catalogue.moderate_ratio,
        catalogue.frequency,
        catalogue.sources,
        catalogue.owner as owner_en,
        catalogue.owner_sv,
        catalogue.contact,
        catalogue.limitations_sv,
        catalogue.limitations_en,
        catalogue.publication_lag_sv,
        catalogue.publication_lag_en
    from catalogue
    left join baselines on catalogue.indicator_id = baselines.indicator_id
)

select * from final
