-- The data-quality sheet: per source, how many files were delivered and rejected whole, and per rule how
-- many values were rejected. One row per source and rule ('-' where nothing was rejected).
with

deliveries as (
    select * from {{ ref('stg_pipeline__deliveries') }}
),

quarantine as (
    select * from {{ ref('stg_pipeline__quarantine_rows') }}
    where file_sha256 <> ''
),

files as (
    select
        source_name,
        count(*) as files_delivered,
        count(*) filter (where delivery_status = 'rejected') as files_rejected,
        cast(sum(rows_accepted) as bigint) as rows_accepted,
        cast(sum(rows_rejected) as bigint) as rows_rejected
    from deliveries
    group by source_name
),

rules as (
    select
        source_name,
        rule_name,
        count(*) as rejected_values,
        count(distinct file_sha256 || ':' || coalesce(sheet_name, '') || ':' || row_number) as rejected_rows,
        min(file_name || ' ' || cell_reference || ': ' || message) as example
    from quarantine
    group by source_name, rule_name
    union all
    select
        source_name,
        'file:' || error_rule as rule_name,
        count(*) as rejected_values,
        0 as rejected_rows,
        min(error_message) as example
    from deliveries
    where delivery_status = 'rejected'
    group by source_name, error_rule
),

final as (
    select
        files.source_name,
        coalesce(rules.rule_name, '-') as rule_name,
        files.files_delivered,
        files.files_rejected,
        files.rows_accepted,
        files.rows_rejected,
        coalesce(rules.rejected_values, 0) as rejected_values,
        rules.example
    from files
    left join rules on files.source_name = rules.source_name
)

select * from final
