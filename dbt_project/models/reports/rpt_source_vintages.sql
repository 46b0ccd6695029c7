-- The cover's data vintage: per source, the newest accepted delivery and how many files and rows it has.
with

files as (
    select * from {{ ref('rpt_source_files') }}
),

final as (
    select
        source_name,
        min(source_title) as source_title,
        min(publisher) as publisher,
        max(case when delivery_status <> 'rejected' then delivered_at end) as latest_delivery_at,
        count(*) as files_delivered,
        count(*) filter (where delivery_status = 'rejected') as files_rejected,
        cast(sum(rows_accepted) as bigint) as rows_accepted,
        cast(sum(rows_rejected) as bigint) as rows_rejected,
        bool_or(is_demo) as has_demo_data
    from files
    group by source_name
)

select * from final
