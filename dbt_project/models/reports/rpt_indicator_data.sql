-- The data sheet for pivot tables: every indicator value in long format, one row per indicator, period and
-- geography (programme, cohort, municipality, comparison), with its unit and status.
with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

final as (
    select
        ---------- ids
        indicator_values.indicator_id,
        indicator_values.period,
        indicator_values.geography_type,
        indicator_values.geography_code,

        ---------- attributes
        catalogue.sort_order,
        catalogue.name_sv,
        catalogue.name_en,
        catalogue.frequency,
        municipalities.municipality_name,
        indicator_values.period_end_date,
        indicator_values.value,
        indicator_values.unit,
        indicator_values.status
    from indicator_values
    inner join catalogue on indicator_values.indicator_id = catalogue.indicator_id
    left join municipalities
        on
            indicator_values.geography_type = 'municipality'
            and indicator_values.geography_code = municipalities.municipality_code
)

select * from final
