-- One row per municipality, main sector and year: SMHI's "Alla" rows are totals and are left out here
-- (the municipality total is the sum of its nine main sectors).
with

source as (
    select * from {{ source('smhi_emissions', 'raw') }}
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

sectors as (
    select * from {{ ref('ref_smhi_sectors') }}
),

latest as (
    {{ latest_vintage(
        'source',
        ['substance', 'main_sector', 'county_name', 'municipality_name', 'year'],
        where="municipality_name <> 'Alla' and main_sector <> 'Alla' and sub_sector = 'Alla'"
    ) }}
),

renamed as (
    select
        ---------- ids
        municipalities.municipality_code,
        sectors.sector_code,
        latest.year as emission_year,

        ---------- attributes
        latest.substance,
        latest.municipality_name,
        latest.county_name,
        latest.main_sector as sector_name_as_delivered,
        latest.emissions_t,

        ---------- lineage
        latest.source_file_sha256,
        latest.source_file_name,
        latest.source_sheet,
        latest.source_row,
        latest.vintage_at
    from latest
    left join municipalities
        on
            latest.municipality_name = municipalities.municipality_name
            and latest.county_name = municipalities.county_name
    left join sectors
        on latest.main_sector = sectors.smhi_sector_name
)

select * from renamed
