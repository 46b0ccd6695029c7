-- The summary sheet: one row per report quarter and indicator, programme level. A quarterly indicator shows
-- the quarter's value; an annual one the newest year that had ended before the quarter did, and says which.
-- The previous value is one period of the indicator's own frequency earlier (the quarter before, or the year
-- before: year on year), so an annual figure is never compared with itself.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
    where geography_type in ('programme', 'comparison')
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

comments as (
    select * from {{ ref('stg_commentary__comments') }}
),

-- the value each report quarter shows: the newest period that ended by the quarter's end
as_of as (
    select
        quarters.period as report_quarter,
        quarters.quarter_end_date,
        indicator_values.*
    from quarters
    inner join indicator_values
        on
            quarters.quarter_end_date >= indicator_values.period_end_date
            and indicator_values.value is not null
    qualify row_number() over (
        partition by quarters.period, indicator_values.indicator_id
        order by indicator_values.period_end_date desc
    ) = 1
),

with_previous_end as (
    select
        as_of.*,
        catalogue.frequency,
        case
            when catalogue.frequency = 'annual' then cast(as_of.period_end_date - interval 1 year as date)
            else cast(last_day(as_of.period_end_date - interval 3 month) as date)
        end as previous_period_end_date
    from as_of
    inner join catalogue on as_of.indicator_id = catalogue.indicator_id
),

final as (
    select
        ---------- ids
        current_value.report_quarter,
        current_value.indicator_id,

        ---------- catalogue
        catalogue.sort_order,
        catalogue.goal,
        catalogue.goal_type,
        catalogue.name_sv,
        catalogue.name_en,
        catalogue.frequency,
        catalogue.desired_direction,
        current_value.unit,

        ---------- figures
        current_value.baseline_value,
        current_value.baseline_year,
        current_value.value,
        current_value.period as value_period,
        previous.value as previous_value,
        previous.period as previous_period,
        current_value.value - previous.value as change_from_previous,
        -- the change of a percentage is in percentage points, not per cent
        case when current_value.unit = 'percent' then 'percentage_points' else current_value.unit end as change_unit,
        current_value.target_value,
        current_value.target_year,
        current_value.progress_ratio,
        current_value.status,

        ---------- commentary
        comments.comment_sv,
        comments.comment_en
    from with_previous_end as current_value
    inner join catalogue on current_value.indicator_id = catalogue.indicator_id
    left join indicator_values as previous
        on
            current_value.indicator_id = previous.indicator_id
            and current_value.geography_type = previous.geography_type
            and current_value.geography_code = previous.geography_code
            and current_value.previous_period_end_date = previous.period_end_date
    left join comments
        on
            current_value.indicator_id = comments.indicator_id
            and current_value.report_quarter = comments.report_quarter
)

select * from final
