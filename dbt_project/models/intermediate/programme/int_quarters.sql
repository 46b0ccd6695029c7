-- Every closed quarter from the programme start to the last one before the build's as-of date.
with

bounds as (
    select
        date '{{ var("programme_start") }}' as first_quarter_start,
        cast(date_trunc('quarter', {{ as_of_date() }}) as date) as open_quarter_start
),

quarters as (
    select cast(quarter_series.quarter_start as date) as quarter_start_date
    from bounds
    cross join generate_series(
        cast(bounds.first_quarter_start as timestamp),
        cast(bounds.open_quarter_start as timestamp) - interval '1 day',
        interval '3 month'
    ) as quarter_series (quarter_start)
),

final as (
    select
        cast(extract(year from quarter_start_date) as integer) || 'Q'
        || cast(extract(quarter from quarter_start_date) as integer) as period,
        quarter_start_date,
        cast(quarter_start_date + interval '3 month' - interval '1 day' as date) as quarter_end_date
    from quarters
)

select * from final
