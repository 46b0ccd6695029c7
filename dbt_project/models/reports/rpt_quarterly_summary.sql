-- The summary sheet: one row per report quarter and indicator, programme level. A quarterly indicator shows
-- the quarter's value; an annual one the newest year that had ended before the quarter did, and says which.
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

report_quarters as (
    select
        period as report_quarter,
        quarter_end_date,
        lag(quarter_end_date) over (order by quarter_end_date) as previous_quarter_end_date
    from quarters
),

-- the value each report quarter shows: the newest period that ended by the quarter's end
as_of as (
    select distinct on (report_quarters.report_quarter, indicator_values.indicator_id)
        report_quarters.report_quarter,
        report_quarters.quarter_end_date,
        report_quarters.previous_quarter_end_date,
        indicator_values.*
    from report_quarters
    inner join indicator_values
        on
            report_quarters.quarter_end_date >= indicator_values.period_end_date
            and indicator_values.value is not null
    order by
        report_quarters.report_quarter asc, indicator_values.indicator_id asc, indicator_values.period_end_date desc
),

final as (
    select
        ---------- ids
        as_of.report_quarter,
        as_of.indicator_id,

        ---------- catalogue
        catalogue.sort_order,
        catalogue.goal,
        catalogue.goal_type,
        catalogue.name_sv,
        catalogue.name_en,
        as_of.unit,

        ---------- figures
        as_of.baseline_value,
        as_of.baseline_year,
        as_of.value,
        as_of.period as value_period,
        previous.value as previous_value,
        previous.period as previous_period,
        as_of.value - previous.value as change_from_previous,
        as_of.target_value,
        as_of.target_year,
        as_of.progress_ratio,
        as_of.status
    from as_of
    inner join catalogue on as_of.indicator_id = catalogue.indicator_id
    -- what the previous quarter's report showed: its own as-of row
    left join as_of as previous
        on
            as_of.indicator_id = previous.indicator_id
            and as_of.previous_quarter_end_date = previous.quarter_end_date
)

select * from final
