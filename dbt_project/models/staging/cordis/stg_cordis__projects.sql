with

source as (
    select * from {{ source('cordis', 'projects') }}
),

latest as (
    {{ latest_vintage('source', ['project_id']) }}
),

renamed as (
    select
        ---------- ids
        project_id,

        ---------- attributes
        acronym,
        title,
        status,
        topics,
        framework_programme,
        master_call,
        sub_call,
        funding_scheme,
        starts_with(coalesce(topics, ''), 'HORIZON-MISS-') and strpos(topics, '-CIT-') > 0 as is_cities_mission_topic,

        ---------- dates
        start_date,
        end_date,
        ec_signature_date,

        ---------- amounts (EUR)
        total_cost_eur,
        ec_max_contribution_eur,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from latest
)

select * from renamed
