with

source as (
    select * from {{ source('pipeline', 'contracts') }}
),

renamed as (
    select regexp_extract(file, '/raw/([^/]+)/_schema\.parquet$', 1) as source_name
    from source
)

-- raw/_deliveries holds the delivery records, not a source
select * from renamed
where source_name <> '' and not starts_with(source_name, '_')
