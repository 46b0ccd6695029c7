with

source as (
    select * from {{ source('mission_cities', 'raw') }}
),

latest as (
    {{ latest_vintage('source', ['city', 'country_iso2']) }}
),

-- The compiled public register writes the Swedish pilot cohorts as text ("cohort 1 (2023) + cohort 2 (2024)")
-- instead of the export's pilot_cohorts ("1;2"): both come out as "1;2".
cohorts as (
    select
        *,
        coalesce(
            nullif(pilot_cohorts, ''),
            {{ regexp_matches_joined("coalesce(nzc_pilot_city_sweden, '')", 'cohort (\\d+)', ';') }}
        ) as pilot_cohorts_any
    from latest
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
        pilot_cohorts_any as pilot_cohorts,
        pilot_cohorts_any is not null as is_pilot_city,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_row,
        vintage_at
    from cohorts
)

select * from renamed
