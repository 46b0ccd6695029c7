-- The cover's sources block: every source contract with its state for this revision. delivered: the newest
-- delivery was accepted and is the vintage used; newest_rejected: the newest delivery was rejected and the newest
-- accepted one is used instead; rejected: no delivery was accepted (the source has no data); no_rows: accepted,
-- but without rows; no_delivery: nothing was ever delivered. One row per source.
with

source_states as (
    select * from {{ ref('int_source_states') }}
),

final as (
    select
        ---------- ids
        source_name,

        ---------- the source
        source_title,
        publisher,
        source_state,
        has_accepted_rows,

        ---------- the vintage used: the newest accepted delivery
        used_file_name,
        used_file_sha256,
        used_delivered_at as latest_delivery_at,

        ---------- the newest delivery, when it is not the one used
        case when source_state in ('newest_rejected', 'rejected') then newest_file_name end as rejected_file_name,
        case when source_state in ('newest_rejected', 'rejected') then newest_delivered_at end as rejected_delivered_at,
        case when source_state in ('newest_rejected', 'rejected') then newest_error_rule end as rejected_error_rule,

        ---------- counts
        files_delivered,
        files_rejected,
        rows_accepted,
        rows_rejected,
        has_demo_data
    from source_states
)

select * from final
