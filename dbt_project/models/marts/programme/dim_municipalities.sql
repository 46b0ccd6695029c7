with

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

register as (
    select * from {{ ref('stg_klimatkontrakt_register__municipalities') }}
),

mission_city_names as (
    select * from {{ ref('ref_mission_city_municipality') }}
),

mission_cities as (
    select * from {{ ref('stg_mission_cities__cities') }}
),

swedish_mission_cities as (
    select
        mission_city_names.municipality_code,
        mission_cities.city_name,
        mission_cities.label_round,
        mission_cities.label_date,
        mission_cities.ccc_status,
        mission_cities.pilot_cohorts
    from mission_cities
    inner join mission_city_names
        on
            mission_cities.city_name = mission_city_names.city_name
            and mission_cities.country_code = mission_city_names.country_code
),

final as (
    select
        ---------- ids
        municipalities.municipality_code,

        ---------- attributes
        municipalities.municipality_name,
        municipalities.county_code,
        municipalities.county_name,
        register.municipality_code is not null as is_klimatkontrakt,
        register.cohort_year,
        register.joined_date,
        register.left_date,
        register.latest_contract_version,
        swedish_mission_cities.municipality_code is not null as is_mission_city,
        swedish_mission_cities.city_name as mission_city_name,
        swedish_mission_cities.label_round,
        swedish_mission_cities.label_date,
        swedish_mission_cities.ccc_status,
        swedish_mission_cities.pilot_cohorts
    from municipalities
    left join register
        on municipalities.municipality_code = register.municipality_code
    left join swedish_mission_cities
        on municipalities.municipality_code = swedish_mission_cities.municipality_code
)

select * from final
