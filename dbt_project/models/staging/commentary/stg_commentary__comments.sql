-- The programme office's comment per indicator and report quarter, Swedish and English, newest delivery per key.
with

source as (
    select * from {{ source('commentary', 'raw') }}
),

latest as (
    {{ latest_vintage('source', ['indicator_id', 'report_quarter']) }}
),

renamed as (
    select
        ---------- ids
        indicator_id,
        report_quarter,

        ---------- attributes
        comment_sv,
        comment_en,
        author,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from latest
)

select * from renamed
