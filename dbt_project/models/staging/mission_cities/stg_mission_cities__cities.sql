with

source as (
    select * from {{ source('mission_cities', 'raw') }}
),

latest as (
    select * from source
    {{ latest_vintage(['city', 'country_iso2']) }}
),

renamed as (
    select
        ---------- ids
        city as city_name,
        country_iso2 as country_code,

        ---------- attributes
        country as country_name,
        eu_member as is_eu_member,
        mission_label_round as label_round,
        mission_label_date as label_date,
        ccc_status,
        pilot_cohorts,
        coalesce(pilot_cohorts, '') <> '' as is_pilot_city,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from latest
)

select * from renamed
