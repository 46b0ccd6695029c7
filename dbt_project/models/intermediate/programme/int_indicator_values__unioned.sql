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

unioned as (
    select * from direction_1
    union all
    select * from direction_2
    union all
    select * from direction_3
    union all
    select * from impact
)

select
    indicator_id,
    period,
    period_end_date,
    geography_type,
    geography_code,
    cast(value as double precision) as value
from unioned
