-- One row per indicator, period and geography, with its target and progress status.
-- Status method (in the spirit of the UN SDG progress assessment): compare the average yearly change achieved
-- since the baseline with the yearly change needed to go from the baseline to the target by the target year.
-- progress_ratio = actual rate / required rate; the catalogue sets the thresholds per indicator.
with

computed as (
    select * from {{ ref('int_indicator_values__unioned') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

-- the indicator's own value at the baseline period, where the catalogue gives no baseline value
computed_baselines as (
    select
        computed.indicator_id,
        computed.geography_type,
        computed.geography_code,
        computed.value as baseline_value
    from computed
    inner join catalogue on computed.indicator_id = catalogue.indicator_id
    where
        computed.period = case
            when catalogue.frequency = 'quarterly' then catalogue.baseline_year || 'Q4'
            else cast(catalogue.baseline_year as varchar)
        end
),

joined as (
    select
        computed.*,
        catalogue.unit,
        catalogue.desired_direction,
        coalesce(catalogue.baseline_value, computed_baselines.baseline_value) as baseline_value,
        catalogue.baseline_year,
        -- a programme-wide target (48 municipalities) says nothing about one cohort; a rate of change does
        case
            when catalogue.target_scope = 'all' or computed.geography_type = 'programme' then catalogue.target_value
        end as target_value,
        catalogue.target_year,
        catalogue.on_track_ratio,
        catalogue.moderate_ratio,
        cast({{ dbt.datediff(
            'make_date(cast(catalogue.baseline_year as integer), 12, 31)', 'computed.period_end_date', 'day'
        ) }} as double precision) / 365.25 as years_since_baseline,
        cast({{ dbt.datediff(
            'make_date(cast(catalogue.baseline_year as integer), 12, 31)',
            'make_date(cast(catalogue.target_year as integer), 12, 31)',
            'day'
        ) }} as double precision) / 365.25 as years_baseline_to_target
    from computed
    inner join catalogue on computed.indicator_id = catalogue.indicator_id
    left join computed_baselines
        on
            computed.indicator_id = computed_baselines.indicator_id
            and computed.geography_type = computed_baselines.geography_type
            and computed.geography_code = computed_baselines.geography_code
),

rated as (
    select
        *,
        case
            when
                target_value is not null and baseline_value is not null and years_since_baseline > 0
                and target_value <> baseline_value
                then
                    ((cast(value as double precision) - baseline_value) / years_since_baseline)
                    / ((cast(target_value as double precision) - baseline_value) / years_baseline_to_target)
        end as progress_ratio
    from joined
),

final as (
    select
        ---------- ids
        cast(indicator_id as varchar) as indicator_id,
        cast(period as varchar) as period,
        cast(geography_type as varchar) as geography_type,
        cast(geography_code as varchar) as geography_code,

        ---------- attributes
        cast(period_end_date as date) as period_end_date,
        cast(value as double precision) as value,
        cast(unit as varchar) as unit,
        cast(baseline_value as double precision) as baseline_value,
        cast(baseline_year as integer) as baseline_year,
        cast(target_value as double precision) as target_value,
        cast(target_year as integer) as target_year,
        cast(progress_ratio as double precision) as progress_ratio,
        cast(case
            when target_value is null then 'no_target'
            when value is null then 'no_data'
            when
                (desired_direction = 'increase' and value >= target_value)
                or (desired_direction = 'decrease' and value <= target_value)
                then 'achieved'
            when progress_ratio is null then 'not_assessed'
            when progress_ratio >= on_track_ratio then 'on_track'
            when progress_ratio >= moderate_ratio then 'moderate_progress'
            when progress_ratio >= 0 then 'limited_progress'
            else 'regressing'
        end as varchar) as status
    from rated
)

select * from final
