-- The direction and impact sheets' charts: every programme-level (and comparison) value over time, with the
-- straight path from the baseline to the target it is measured against. One row per indicator and period.
with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where geography_type in ('programme', 'comparison')
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

final as (
    select
        ---------- ids
        indicator_values.indicator_id,
        indicator_values.period,

        ---------- attributes
        catalogue.goal,
        catalogue.sort_order,
        catalogue.frequency,
        catalogue.desired_direction,
        indicator_values.unit,
        indicator_values.period_end_date,
        indicator_values.value,
        indicator_values.baseline_value,
        indicator_values.baseline_year,
        indicator_values.target_value,
        indicator_values.target_year,
        -- where the indicator should be on this date if it moved in a straight line from baseline to target
        case
            when
                indicator_values.target_value is not null and indicator_values.baseline_value is not null
                and indicator_values.period_end_date >= make_date(indicator_values.baseline_year, 12, 31)
                then
                    indicator_values.baseline_value
                    + (indicator_values.target_value - indicator_values.baseline_value)
                    * {{ dbt.datediff(
                        'make_date(indicator_values.baseline_year, 12, 31)', 'indicator_values.period_end_date', 'day'
                    ) }}
                    / cast({{ dbt.datediff(
                        'make_date(indicator_values.baseline_year, 12, 31)',
                        'make_date(indicator_values.target_year, 12, 31)',
                        'day'
                    ) }} as double precision)
        end as target_path_value
    from indicator_values
    inner join catalogue on indicator_values.indicator_id = catalogue.indicator_id
)

select * from final
