-- The summary sheet: one row per report quarter and catalogue indicator, at its headline geography (the programme,
-- or the comparison group). A quarterly indicator shows the quarter's own value; an annual one the newest year
-- that had ended before the quarter did and has a value, and says which. A value that is missing shows as missing
-- with its reason (and status no_data): an indicator never drops out of the summary.
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
        quarter_end_date,
        lag(quarter_end_date) over (order by quarter_end_date) as previous_quarter_end_date
    from quarters
),

-- the value each report quarter shows: the newest period that ended by the quarter's end (for an annual
-- indicator the newest with a value, if any has one)
as_of as (
    select
        report_quarters.report_quarter,
        report_quarters.quarter_end_date,
        report_quarters.previous_quarter_end_date,
        headline_values.*
    from report_quarters
    inner join headline_values on report_quarters.quarter_end_date >= headline_values.period_end_date
    inner join catalogue on headline_values.indicator_id = catalogue.indicator_id
    qualify row_number() over (
        partition by report_quarters.report_quarter, headline_values.indicator_id
        order by
            catalogue.frequency = 'annual' and headline_values.value is not null desc,
            headline_values.period_end_date desc
    ) = 1
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
        catalogue.unit,

        ---------- figures
        coalesce(as_of.baseline_value, catalogue.baseline_value) as baseline_value,
        catalogue.baseline_year,
        as_of.value,
        as_of.period as value_period,
        previous.value as previous_value,
        previous.period as previous_period,
        as_of.value - previous.value as change_from_previous,
        coalesce(as_of.target_value, catalogue.target_value) as target_value,
        catalogue.target_year,
        as_of.progress_ratio,
        coalesce(as_of.status, 'no_data') as status,

        ---------- why the value is missing
        case when as_of.value is null then coalesce(as_of.missing_reason, 'no_rows_for_period') end as missing_reason,
        case when as_of.value is null then coalesce(as_of.missing_sources, catalogue.sources) end as missing_sources,
        case when as_of.value is null then as_of.missing_detail end as missing_detail
    from report_quarters
    cross join catalogue
    left join as_of
        on
            report_quarters.report_quarter = as_of.report_quarter
            and catalogue.indicator_id = as_of.indicator_id
    -- what the previous quarter's report showed: its own as-of row
    left join as_of as previous
        on
            as_of.indicator_id = previous.indicator_id
            and as_of.previous_quarter_end_date = previous.quarter_end_date
)

select * from final
