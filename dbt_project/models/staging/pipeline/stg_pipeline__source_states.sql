-- One row per source (every contract, delivered or not): its state for this run, as sources/state.py decides it.
with

source as (
    select * from {{ source('pipeline', 'source_states') }}
),

renamed as (
    select
        ---------- ids
        source as source_name,

        ---------- attributes
        source_title,
        state as source_state,
        publishing_blocked,
        blocks_publishing,
        delivery_kind,
        message as state_message,
        landing_refused,

        ---------- the delivery in use
        file_name,
        file_sha256,
        delivered_at,
        arrival,
        published_on,
        warning_rule,
        warning_message,

        ---------- the newest delivery, when it is not the one in use
        newest_file_name,
        newest_file_sha256,
        newest_delivered_at,
        newest_arrival,
        newest_status,
        newest_error_rule,
        newest_error_message
    from source
)

select * from renamed
