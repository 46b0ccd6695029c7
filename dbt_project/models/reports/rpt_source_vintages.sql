-- The cover's data vintage: per source, the newest accepted delivery and how many files and rows it has.
with

files as (
    select * from {{ ref('rpt_source_files') }}
),

final as (
    select
        source_name,
        any_value(source_title) as source_title,
        any_value(publisher) as publisher,
        max(case when delivery_status <> 'rejected' then delivered_at end) as latest_delivery_at,
        count(*) as files_delivered,
        count(*) filter (where delivery_status = 'rejected') as files_rejected,
        sum(rows_accepted) as rows_accepted,
        sum(rows_rejected) as rows_rejected,
        bool_or(is_demo) as has_demo_data
    from files
    group by source_name
)

select * from final
