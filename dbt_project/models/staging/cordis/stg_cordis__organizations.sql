-- One row per organisation, project and role. Swedish organisations get the SCB municipality code of their
-- city where CORDIS's city (capitals, often without diacritics: GOTEBORG) matches exactly one municipality name
-- (Habo and Håbo both read HABO and stay unmatched) or the English name of a mission city (Gothenburg).
with

source as (
    select * from {{ source('cordis', 'organizations') }}
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

mission_city_municipalities as (
    select * from {{ ref('ref_mission_city_municipality') }}
),

latest as (
    {{ latest_vintage('source', ['project_id', 'organisation_id', 'role']) }}
),

city_names as (
    select
        municipality_code,
        upper({{ strip_accents('municipality_name') }}) as city_key
    from municipalities
    union all
    select
        municipality_code,
        upper({{ strip_accents('city_name') }}) as city_key
    from mission_city_municipalities
    where country_code = 'SE'
),

unique_city_names as (
    select
        city_key,
        min(municipality_code) as municipality_code
    from city_names
    group by city_key
    having count(distinct municipality_code) = 1
),

renamed as (
    select
        ---------- ids
        latest.project_id,
        latest.organisation_id,
        unique_city_names.municipality_code,

        ---------- attributes
        latest.organisation_name,
        latest.short_name,
        latest.country_code,
        latest.city,
        latest.role,
        latest.activity_type,
        latest.is_sme,

        ---------- amounts (EUR)
        latest.ec_contribution_eur,
        latest.net_ec_contribution_eur,
        latest.total_cost_eur,

        ---------- lineage
        latest.source_file_sha256,
        latest.source_file_name,
        latest.source_row,
        latest.vintage_at
    from latest
    left join unique_city_names
        on
            latest.country_code = 'SE'
            and upper({{ strip_accents('trim(latest.city)') }}) = unique_city_names.city_key
)

select * from renamed
