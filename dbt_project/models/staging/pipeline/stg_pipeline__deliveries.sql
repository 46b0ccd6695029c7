with

source as (
    select * from {{ source('pipeline', 'deliveries') }}
),

renamed as (
    select
        ---------- ids
        source as source_name,
        file_sha256,

        ---------- attributes
        source_title,
        publisher,
        licence,
        file_name,
        file_bytes,
        delivered_at,
        arrival,
        vintage_basis,
        published_on,
        delivery_kind,
        delivery_scope,
        blocks_publishing,
        status as delivery_status,
        rows_accepted,
        rows_rejected,
        error_rule,
        error_message,
        warning_rule,
        warning_message,
        is_demo
    from source
)

select * from renamed
