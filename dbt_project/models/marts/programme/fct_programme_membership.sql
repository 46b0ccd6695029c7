-- Which municipalities hold a Klimatkontrakt at the end of each quarter: joined on or before it, not yet left.
with

quarters as (
    select * from {{ ref('int_quarters') }}
),

register as (
    select * from {{ ref('stg_klimatkontrakt_register__municipalities') }}
),

final as (
    select
        quarters.period,
        quarters.quarter_end_date,
        register.municipality_code,
        register.cohort_year,
        register.joined_date,
        register.source_file_sha256,
        register.source_file_name,
        register.source_row,
        register.vintage_at
    from quarters
    inner join register
        on
            quarters.quarter_end_date >= register.joined_date
            and (register.left_date is null or quarters.quarter_end_date < register.left_date)
)

select * from final
