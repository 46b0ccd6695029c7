{#-
    The rows of a source as they stand after its newest deliveries, by the contract's delivery semantics
    (source.yaml `delivery:`, written by ingest into each row's delivery_scope):

    * a snapshot (delivery_scope '*' for the whole source, or e.g. 'municipality_code=0180;report_year=2024' for
      one scope) replaces its scope: only rows of the newest delivery of that scope are kept, so a key the newest
      file lacks is gone from that vintage on;
    * an increment (delivery_scope null) adds and restates: per key, the row from the newest delivery wins.

    vintage_at is the arrival order (strictly increasing per source, given when the file is first archived).

    Each macro is a whole select over a relation (a CTE's name), because DuckDB and PostgreSQL write it
    differently (DuckDB: qualify; PostgreSQL: distinct on and a join on each scope's newest delivery). Both
    variants keep the same rows: per key the newest row over every delivery, kept when it belongs to its scope's
    newest delivery; a tie (one file giving a key twice) goes to the file's later row.

        latest as ( {{ latest_vintage('source', ['record_id']) }} )

    `where` filters the rows before anything is picked.
-#}
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
    qualify
        (delivery_scope is null or vintage_at = max(vintage_at) over (partition by delivery_scope))
        and row_number() over (
            partition by {{ key_columns | join(', ') }}
            order by vintage_at desc, source_file_sha256 desc, source_row desc
        ) = 1
{%- endmacro %}

{% macro postgres__latest_vintage(relation, key_columns, where) -%}
    select picked.*
    from (
        select distinct on ({{ key_columns | join(', ') }}) * from {{ relation }}
        {%- if where %}
        where {{ where }}
        {%- endif %}
        order by {{ key_columns | join(' asc, ') }} asc, vintage_at desc, source_file_sha256 desc, source_row desc
    ) as picked
    {{ newest_in_scope_join(relation, 'picked', where) }}
{%- endmacro %}


{#- Every row of each scope's newest delivery, for models that keep every row of it (a template's actions).
        newest_submission as ( {{ newest_delivery('source') }} ) -#}
{% macro newest_delivery(relation=none) -%}
    {%- if relation is none -%}
        {%- do exceptions.raise_compiler_error(
            "newest_delivery() after a from clause was DuckDB's qualify; write "
            ~ "newest as ( {{ newest_delivery('source') }} ) instead (macros/latest_vintage.sql)"
        ) -%}
    {%- endif -%}
    {{ return(adapter.dispatch('newest_delivery')(relation)) }}
{%- endmacro %}

{% macro duckdb__newest_delivery(relation) -%}
    select * from {{ relation }}
    qualify delivery_scope is null or vintage_at = max(vintage_at) over (partition by delivery_scope)
{%- endmacro %}

{% macro postgres__newest_delivery(relation) -%}
    select delivered.*
    from {{ relation }} as delivered
    {{ newest_in_scope_join(relation, 'delivered', none) }}
{%- endmacro %}


{#- PostgreSQL: keep the rows of `alias` that are increments or belong to their scope's newest delivery. -#}
{% macro newest_in_scope_join(relation, alias, where) -%}
    left join (
        select
            delivery_scope,
            max(vintage_at) as newest_vintage_at
        from {{ relation }}
        where delivery_scope is not null
        {%- if where %}
            and ({{ where }})
        {%- endif %}
        group by delivery_scope
    ) as newest_scopes
        on {{ alias }}.delivery_scope = newest_scopes.delivery_scope
    where {{ alias }}.delivery_scope is null or {{ alias }}.vintage_at = newest_scopes.newest_vintage_at
{%- endmacro %}
