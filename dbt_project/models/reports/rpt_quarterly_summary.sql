-- The summary sheet: one row per report quarter and catalogue indicator, at its headline geography (the programme,
-- or the comparison group). A quarterly indicator shows the quarter's own value; an annual one the newest year
-- that had ended before the quarter did and has a value, and says which. A value that is missing shows as missing
-- with its reason (and status no_data): an indicator never drops out of the summary. The previous value is one
-- period of the indicator's own frequency earlier (the quarter before, or the year before: year on year), so an
-- annual figure is never compared with itself.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

comments as (
    select * from {{ ref('stg_commentary__comments') }}
),

headline_values as (
    select indicator_values.*
    from indicator_values
    inner join catalogue
        on
            indicator_values.indicator_id = catalogue.indicator_id
            and indicator_values.geography_type = case
                when catalogue.headline_geography = 'comparison' then 'comparison' else 'programme'
            end
),

report_quarters as (
    select
        period as report_quarter,
        quarter_end_date
    from quarters
),

-- the value each report quarter shows: the newest period that ended by the quarter's end (for an annual
-- indicator the newest with a value, if any has one)
as_of as (
    select distinct on (report_quarters.report_quarter, headline_values.indicator_id)
        report_quarters.report_quarter,
        report_quarters.quarter_end_date,
        headline_values.*
    from report_quarters
    inner join headline_values on report_quarters.quarter_end_date >= headline_values.period_end_date
    inner join catalogue on headline_values.indicator_id = catalogue.indicator_id
    order by
        report_quarters.report_quarter asc,
        headline_values.indicator_id asc,
        coalesce(catalogue.frequency = 'annual' and headline_values.value is not null, false) desc,
        headline_values.period_end_date desc
),

with_previous_end as (
    select
        as_of.*,
        case
            when catalogue.frequency = 'annual' then cast(as_of.period_end_date - interval '1 year' as date)
            -- the last day of the month three months earlier
            else cast(
                date_trunc('month', as_of.period_end_date - interval '3 month') + interval '1 month' - interval '1 day'
                as date
            )
        end as previous_period_end_date
    from as_of
    inner join catalogue on as_of.indicator_id = catalogue.indicator_id
),

final as (
    select
        ---------- ids
        report_quarters.report_quarter,
        catalogue.indicator_id,

        ---------- catalogue
        catalogue.sort_order,
        catalogue.goal,
        catalogue.goal_type,
        catalogue.name_sv,
        catalogue.name_en,
        catalogue.frequency,
        catalogue.desired_direction,
        catalogue.unit,

        ---------- figures
        coalesce(current_value.baseline_value, catalogue.baseline_value) as baseline_value,
        catalogue.baseline_year,
        current_value.value,
        current_value.period as value_period,
        previous.value as previous_value,
        previous.period as previous_period,
        current_value.value - previous.value as change_from_previous,
        -- the change of a percentage is in percentage points, not per cent
        case when catalogue.unit = 'percent' then 'percentage_points' else catalogue.unit end as change_unit,
        coalesce(current_value.target_value, catalogue.target_value) as target_value,
        catalogue.target_year,
        current_value.progress_ratio,
        coalesce(current_value.status, 'no_data') as status,

        ---------- why the value is missing
        case
            when current_value.value is null then coalesce(current_value.missing_reason, 'no_rows_for_period')
        end as missing_reason,
        case
            when current_value.value is null then coalesce(current_value.missing_sources, catalogue.sources)
        end as missing_sources,
        case when current_value.value is null then current_value.missing_detail end as missing_detail,

        ---------- commentary
        comments.comment_sv,
        comments.comment_en
    from report_quarters
    cross join catalogue
    left join with_previous_end as current_value
        on
            report_quarters.report_quarter = current_value.report_quarter
            and catalogue.indicator_id = current_value.indicator_id
    left join headline_values as previous
        on
            current_value.indicator_id = previous.indicator_id
            and current_value.geography_type = previous.geography_type
            and current_value.geography_code = previous.geography_code
            and current_value.previous_period_end_date = previous.period_end_date
    left join comments
        on
            catalogue.indicator_id = comments.indicator_id
            and report_quarters.report_quarter = comments.report_quarter
)

select * from final
