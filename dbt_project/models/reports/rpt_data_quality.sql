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

-- accepted files whose own arithmetic disagrees (follow-up templates): warnings, nothing rejected
followup_warnings as (
    select * from {{ ref('stg_klimatkontrakt_followup__warnings') }}
),

files as (
    select
        source_name,
        count(*) as files_delivered,
        count(*) filter (where delivery_status = 'rejected') as files_rejected,
        sum(rows_accepted) as rows_accepted,
        sum(rows_rejected) as rows_rejected
    from deliveries
    group by source_name
),

rules as (
    select
        source_name,
        rule_name,
        count(*) as rejected_values,
        count(distinct file_sha256 || ':' || coalesce(sheet_name, '') || ':' || row_number) as rejected_rows,
        min(file_name || ' ' || cell_reference || ': ' || message) as example,
        -- the same example in parts, for a workbook that names the rule in its own language
        arg_min(file_name, file_name || ' ' || cell_reference || ': ' || message) as example_file_name,
        arg_min(cell_reference, file_name || ' ' || cell_reference || ': ' || message) as example_cell,
        arg_min(rejected_value, file_name || ' ' || cell_reference || ': ' || message) as example_value
    from quarantine
    group by source_name, rule_name
    union all
    select
        source_name,
        'file:' || error_rule as rule_name,
        count(*) as rejected_values,
        0 as rejected_rows,
        min(error_message) as example,
        arg_min(file_name, error_message) as example_file_name,
        cast(null as varchar) as example_cell,
        cast(null as varchar) as example_value
    from deliveries
    where delivery_status = 'rejected'
    group by source_name, error_rule
    union all
    select
        'klimatkontrakt_followup' as source_name,
        'warning:' || warning_rule as rule_name,
        0 as rejected_values,
        0 as rejected_rows,
        count(*) || ' cell(s), e.g. ' || min(message) as example
    from followup_warnings
    group by warning_rule
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
        rules.example,
        rules.example_file_name,
        rules.example_cell,
        rules.example_value
    from files
    left join rules on files.source_name = rules.source_name
)

select * from final
