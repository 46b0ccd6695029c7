{#- The newest delivery per key, as whole selects over a relation (DuckDB: qualify; PostgreSQL: distinct on).
    Both variants order the same way, so both engines keep the same row; a tie (one file giving a key twice)
    goes to the file's later row. -#}


{#- Per key, the row from the newest delivery: a later file restates what an earlier one said.
        latest as ( {{ latest_vintage('source', ['record_id']) }} )
    `where` filters the rows before the newest is picked. -#}
{% macro latest_vintage(relation, key_columns=none, where=none) -%}
    {%- if key_columns is none -%}
        {%- do exceptions.raise_compiler_error(
            "latest_vintage(key_columns) after a from clause was DuckDB's qualify; write "
            ~ "latest as ( {{ latest_vintage('source', ['key', ...]) }} ) instead (macros/latest_vintage.sql)"
        ) -%}
    {%- endif -%}
    {{ return(adapter.dispatch('latest_vintage')(relation, key_columns, where)) }}
{%- endmacro %}

{% macro duckdb__latest_vintage(relation, key_columns, where) -%}
    select * from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    qualify row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by vintage_at desc, source_file_sha256 desc, source_row desc
    ) = 1
{%- endmacro %}

{% macro postgres__latest_vintage(relation, key_columns, where) -%}
    select distinct on ({{ key_columns | join(', ') }}) * from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    order by {{ key_columns | join(' asc, ') }} asc, vintage_at desc, source_file_sha256 desc, source_row desc
{%- endmacro %}


{#- Every row of the newest delivered file per scope: a template per municipality and year replaces the earlier
    ones whole.
        newest_submission as ( {{ newest_file_rows('source', ['municipality_code', 'report_year']) }} ) -#}
{% macro newest_file_rows(relation, scope_columns) -%}
    {{ return(adapter.dispatch('newest_file_rows')(relation, scope_columns)) }}
{%- endmacro %}

{% macro duckdb__newest_file_rows(relation, scope_columns) -%}
    select * from {{ relation }}
    qualify source_file_sha256 = first_value(source_file_sha256) over (
        partition by {{ scope_columns | join(', ') }}
        order by vintage_at desc, source_file_sha256 desc
    )
{%- endmacro %}

{% macro postgres__newest_file_rows(relation, scope_columns) -%}
    select delivered.*
    from {{ relation }} as delivered
    inner join (
        select distinct on ({{ scope_columns | join(', ') }})
            {{ scope_columns | join(', ') }},
            source_file_sha256
        from {{ relation }}
        order by {{ scope_columns | join(' asc, ') }} asc, vintage_at desc, source_file_sha256 desc
    ) as newest
        on
            delivered.source_file_sha256 = newest.source_file_sha256
            {%- for column in scope_columns %}
            and delivered.{{ column }} is not distinct from newest.{{ column }}
            {%- endfor %}
{%- endmacro %}
