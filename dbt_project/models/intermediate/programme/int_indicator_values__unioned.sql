-- Every indicator's value per period and geography, before targets and status.
with

direction_1 as (
    select * from {{ ref('int_indicators__direction_1') }}
),

direction_2 as (
    select * from {{ ref('int_indicators__direction_2') }}
),

direction_3 as (
    select * from {{ ref('int_indicators__direction_3') }}
),

impact as (
    select * from {{ ref('int_indicators__impact') }}
),

followups as (
    select
        indicator_id,
        period,
        period_end_date,
        geography_type,
        geography_code,
        value,
        missing_reason,
        missing_sources,
        missing_detail
    from {{ ref('int_indicators__followups') }}
),

engagements as (
    select
        indicator_id,
        period,
        period_end_date,
        geography_type,
        geography_code,
        value,
        missing_reason,
        missing_sources,
        missing_detail
    from {{ ref('int_indicators__engagements') }}
),

unioned as (
    select * from direction_1
    union all
    select * from direction_2
    union all
    select * from direction_3
    union all
    select * from impact
    union all
    select * from followups
    union all
    select * from engagements
)

select
    indicator_id,
    period,
    period_end_date,
    geography_type,
    geography_code,
    cast(value as double precision) as value,
    -- why a value is missing for this period and geography (the reasons for a whole series, such as a source
    -- without accepted data, are fct_indicator_values' to add)
    cast(missing_reason as varchar) as missing_reason,
    cast(missing_sources as varchar) as missing_sources,
    cast(missing_detail as varchar) as missing_detail
from unioned
