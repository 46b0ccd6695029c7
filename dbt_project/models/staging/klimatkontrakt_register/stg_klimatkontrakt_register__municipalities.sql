with

source as (
    select * from {{ source('klimatkontrakt_register', 'raw') }}
),

latest as (
    {{ latest_vintage('source', ['municipality_code']) }}
),

renamed as (
    select
        ---------- ids
        municipality_code,

        ---------- attributes
        municipality_name,
        wave as cohort_year,
        joined_date,
        left_date,
        latest_contract_version,
        agencies,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from latest
)

select * from renamed
