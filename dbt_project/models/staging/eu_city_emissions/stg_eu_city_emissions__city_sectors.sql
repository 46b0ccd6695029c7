-- One row per European city, sector and year, from the newest delivery that has it. A view on DuckDB: 3.8 M rows
-- read once, by fct_city_emissions_yearly, with no tests of its own (a table would be a second copy of them). A
-- table on PostgreSQL, where a view over the raw schema would keep the load step from rebuilding its table.
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}

with

source as (
    select * from {{ source('eu_city_emissions', 'raw') }}
),

latest as (
    {{ latest_vintage('source', ['city_id', 'sector', 'year']) }}
),

renamed as (
    select
        ---------- ids
        city_id,
        sector,
        year as emission_year,

        ---------- attributes
        city_name,
        country_code,
        emissions_t,

        ---------- lineage
        source_file_sha256,
        source_file_name,
        source_sheet,
        source_row,
        vintage_at
    from latest
)

select * from renamed
