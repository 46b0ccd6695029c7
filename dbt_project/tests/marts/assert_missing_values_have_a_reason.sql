-- Rule: missing is missing, with its reason. Every indicator value that is empty says why (missing_reason) and
-- which sources it lacks, is never rated, and a value that is present carries no reason.
with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
)

select
    indicator_id,
    period,
    geography_type,
    geography_code,
    value,
    status,
    missing_reason,
    missing_sources
from indicator_values
where
    (value is null and (missing_reason is null or missing_sources is null or status <> 'no_data'))
    or (value is not null and missing_reason is not null)
