-- The data-quality sheet: per source contract (delivered or not), its state, how many files were delivered and
-- rejected whole, and per rule how many values were rejected. One row per source and rule ('-' where nothing was
-- rejected).
{%- set example_key = "file_name || ' ' || cell_reference || ': ' || message" %}
with

source_states as (
    select * from {{ ref('int_source_states') }}
),

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

rules as (
    select
        source_name,
        rule_name,
        count(*) as rejected_values,
        count(distinct file_sha256 || ':' || coalesce(sheet_name, '') || ':' || row_number) as rejected_rows,
        min(file_name || ' ' || cell_reference || ': ' || message) as example,
        -- the same example in parts, for a workbook that names the rule in its own language
        {{ value_at_min('file_name', example_key) }} as example_file_name,
        {{ value_at_min('cell_reference', example_key) }} as example_cell,
        {{ value_at_min('rejected_value', example_key) }} as example_value
    from quarantine
    group by source_name, rule_name
    union all
    select
        source_name,
        'file:' || error_rule as rule_name,
        count(*) as rejected_values,
        0 as rejected_rows,
        min(error_message) as example,
        {{ value_at_min('file_name', 'error_message') }} as example_file_name,
        cast(null as varchar) as example_cell,
        cast(null as varchar) as example_value
    from deliveries
    where delivery_status not in ('accepted', 'accepted_with_rejections')
    group by source_name, error_rule
    union all
    select
        'klimatkontrakt_followup' as source_name,
        'warning:' || warning_rule as rule_name,
        0 as rejected_values,
        0 as rejected_rows,
        count(*) || ' cell(s), e.g. ' || min(message) as example,
        min(source_file_name) as example_file_name,
        min(cell_reference) as example_cell,
        cast(null as varchar) as example_value
    from followup_warnings
    group by warning_rule
),

final as (
    select
        source_states.source_name,
        coalesce(rules.rule_name, '-') as rule_name,
        source_states.source_state,
        source_states.files_delivered,
        source_states.files_rejected,
        source_states.rows_accepted,
        source_states.rows_rejected,
        coalesce(rules.rejected_values, 0) as rejected_values,
        rules.example,
        rules.example_file_name,
        rules.example_cell,
        rules.example_value
    from source_states
    left join rules on source_states.source_name = rules.source_name
)

select * from final
