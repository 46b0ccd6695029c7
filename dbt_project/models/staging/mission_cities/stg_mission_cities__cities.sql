with

source as (
    select * from {{ source('mission_cities', 'raw') }}
),

city_municipalities as (
    select * from {{ ref('ref_mission_city_municipality') }}
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
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

-- a Swedish mission city is a municipality: by the register's English name (Gothenburg) or SCB's own name
swedish_municipalities as (
    select
        cohorts.city,
        coalesce(city_municipalities.municipality_code, municipalities.municipality_code) as municipality_code
    from cohorts
    left join city_municipalities
        on
            cohorts.city = city_municipalities.city_name
            and cohorts.country_iso2 = city_municipalities.country_code
    left join municipalities
        on cohorts.city = municipalities.municipality_name
    where cohorts.country_iso2 = 'SE'
),

renamed as (
    select
        ---------- ids
        cohorts.city as city_name,
        cohorts.country_iso2 as country_code,
        swedish_municipalities.municipality_code,

        ---------- attributes
        cohorts.country as country_name,
        cohorts.eu_member as is_eu_member,
        cohorts.mission_label_round as label_round,
        cohorts.mission_label_date as label_date,
        cohorts.ccc_status,
        cohorts.pilot_cohorts_any as pilot_cohorts,
        cohorts.pilot_cohorts_any is not null as is_pilot_city,

        ---------- lineage
        cohorts.source_file_sha256,
        cohorts.source_file_name,
        cohorts.source_row,
        cohorts.vintage_at
    from cohorts
    left join swedish_municipalities
        on
            cohorts.country_iso2 = 'SE'
            and cohorts.city = swedish_municipalities.city
)

select * from renamed
