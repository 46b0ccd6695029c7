-- The sources sheet: every delivered file with its hash, vintage and how much of it was accepted.
with

deliveries as (
    select * from {{ ref('stg_pipeline__deliveries') }}
),

final as (
    select
        source_name,
        file_sha256,
        source_title,
        publisher,
        licence,
        file_name,
        file_bytes,
        delivered_at,
        delivery_status,
        rows_accepted,
        rows_rejected,
        error_rule,
        is_demo
    from deliveries
)

select * from final
