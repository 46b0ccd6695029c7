with

source as (
    select * from {{ source('pipeline', 'quarantine_rows') }}
),

renamed as (
    select
        source as source_name,
        file_sha256,
        file_name,
        sheet as sheet_name,
        row as row_number,
        "column" as column_name,
        cell as cell_reference,
        rule as rule_name,
        value as rejected_value,
        message
    from source
)

select * from renamed
