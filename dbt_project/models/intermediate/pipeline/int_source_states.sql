-- Per source contract, its state for this build, as ingest decided it (sources/state.py, stg_pipeline__source_states):
-- delivered (the newest delivery was accepted), newest_rejected (the newest was rejected and an older accepted
-- delivery is used instead), rejected (every delivery rejected: no accepted data), no_rows (accepted, but no rows
-- in it) or no_delivery; with the files and row counts the cover and the data-quality sheet show. Every contract
-- is listed, delivered or not; a source that has deliveries but no contract any more is listed too.
with

states as (
    select * from {{ ref('stg_pipeline__source_states') }}
),

deliveries as (
    select
        *,
        delivery_status in ('accepted', 'accepted_with_rejections') as is_accepted
    from {{ ref('stg_pipeline__deliveries') }}
),

source_names as (
    select source_name from states
    union
    select source_name from deliveries
),

newest as (
    select distinct on (source_name) * from deliveries
    order by source_name asc, {{ delivery_order('desc') }}
),

newest_accepted as (
    select distinct on (source_name) * from deliveries
    where is_accepted
    order by source_name asc, {{ delivery_order('desc') }}
),

totals as (
    select
        source_name,
        count(*) as files_delivered,
        count(*) filter (where not is_accepted) as files_rejected,
        cast(coalesce(sum(rows_accepted) filter (where is_accepted), 0) as bigint) as rows_accepted,
        cast(coalesce(sum(rows_rejected), 0) as bigint) as rows_rejected,
        bool_or(is_demo) as has_demo_data
    from deliveries
    group by source_name
),

final as (
    select
        ---------- ids
        source_names.source_name,

        ---------- state: ingest's; its nothing_accepted splits into rejected files and accepted files without rows
        case
            when states.source_state = 'nothing_accepted' and newest_accepted.source_name is not null then 'no_rows'
            when states.source_state = 'nothing_accepted' then 'rejected'
            when states.source_state is not null then states.source_state
            when newest.source_name is null then 'no_delivery'
            else 'no_contract'
        end as source_state,
        coalesce(states.publishing_blocked, false) as is_publishing_blocked,
        coalesce(totals.rows_accepted, 0) > 0 as has_accepted_rows,

        ---------- the source as its newest delivery record describes it
        coalesce(states.source_title, newest.source_title) as source_title,
        newest.publisher,

        ---------- the newest delivery, whatever its outcome
        newest.file_name as newest_file_name,
        newest.delivered_at as newest_delivered_at,
        newest.delivery_status as newest_delivery_status,
        newest.error_rule as newest_error_rule,

        ---------- the delivery the figures use (the newest accepted one with rows), else the newest accepted
        coalesce(states.file_name, newest_accepted.file_name) as used_file_name,
        coalesce(states.file_sha256, newest_accepted.file_sha256) as used_file_sha256,
        coalesce(states.delivered_at, newest_accepted.delivered_at) as used_delivered_at,

        ---------- counts
        coalesce(totals.files_delivered, 0) as files_delivered,
        coalesce(totals.files_rejected, 0) as files_rejected,
        coalesce(totals.rows_accepted, 0) as rows_accepted,
        coalesce(totals.rows_rejected, 0) as rows_rejected,
        coalesce(totals.has_demo_data, false) as has_demo_data
    from source_names
    left join states on source_names.source_name = states.source_name
    left join newest on source_names.source_name = newest.source_name
    left join newest_accepted on source_names.source_name = newest_accepted.source_name
    left join totals on source_names.source_name = totals.source_name
)

select * from final
