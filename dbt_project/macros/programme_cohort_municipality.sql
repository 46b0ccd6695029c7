{#- Every row of a relation keyed by municipality once for each geography it counts towards: the programme (SE),
    its cohort (cohort_year) and the municipality itself. -#}
{% macro programme_cohort_municipality(relation) -%}
    select
        *,
        'programme' as geography_type,
        'SE' as geography_code
    from {{ relation }}
    union all
    select
        *,
        'cohort' as geography_type,
        cast(cohort_year as varchar) as geography_code
    from {{ relation }}
    union all
    select
        *,
        'municipality' as geography_type,
        municipality_code as geography_code
    from {{ relation }}
{%- endmacro %}
