with

source as (
    select * from {{ source('scb_population', 'raw') }}
),

latest as (
    {{ latest_vintage('source', ['year', 'region_code']) }}
),

renamed as (
    select
        ---------- ids
        region_code,
        year as population_year,

        ---------- attributes
        region_level,
        region_name,
        population,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from latest
)

select * from renamed
