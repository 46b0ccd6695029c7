with

source as (
    select * from {{ source('ecb_rates', 'raw') }}
),

latest as (
    {{ latest_vintage('source', ['rate_date', 'currency']) }}
),

renamed as (
    select
        ---------- ids
        rate_date,
        currency as currency_code,

        ---------- attributes
        units_per_eur,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from latest
)

select * from renamed
