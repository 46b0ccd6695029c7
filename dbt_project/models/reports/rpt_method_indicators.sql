-- The method sheet: each indicator's definition, formula, unit, baseline, target and sources, as the
-- programme office keeps them in the catalogue. One row per indicator.
with

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

final as (
    select
        indicator_id,
        sort_order,
        goal,
        goal_type,
        name_sv,
        name_en,
        definition_sv,
        definition_en,
        unit,
        formula,
        desired_direction,
        baseline_value,
        baseline_year,
        target_value,
        target_year,
        target_scope,
        on_track_ratio,
        moderate_ratio,
        frequency,
        sources,
        owner
    from catalogue
)

select * from final
