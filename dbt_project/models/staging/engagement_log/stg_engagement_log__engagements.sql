with

source as (
    select * from {{ source('engagement_log', 'raw') }}
),

latest as (
    {{ latest_vintage('source', ['engagement_id']) }}
),

renamed as (
    select
        ---------- ids
        engagement_id,
        municipality_code,

        ---------- attributes
        partner as partner_name,
        engagement_type,
        level as engagement_level,
        direction as strategy_direction,
        basic_funding_secured as has_basic_funding_secured,
        is_system_demonstrator,
        description,

        ---------- dates
        started_on,
        ended_on,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from latest
)

select * from renamed
