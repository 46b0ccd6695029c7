{#-
    The SQL that DuckDB and PostgreSQL write differently, each behind one macro (adapter.dispatch with a duckdb
    and a postgres variant, or one portable form both engines run the same way). Models use these, never the
    DuckDB-only form: tests/deployment/test_sql_dialect.py fails on a model that does, naming the file, the line
    and the replacement. Both engines must give the same figures (tests/deployment/test_postgres_pipeline.py).

    Replacements that need no macro, because both engines accept one form:
      qualify ... = 1              latest_vintage() or newest_file_rows() (macros/latest_vintage.sql), or a
                                   window in a CTE and a where on it
      group by all                 the grouped columns or expressions, written out
      arg_min(v, k)                {{ value_at_min(v, k) }} (below)
      any_value(x)                 min(x) (deterministic; PostgreSQL has any_value only from 16), bool_or(b)
      datediff('day', a, b)        {{ dbt.datediff('a', 'b', 'day') }} (dbt's cross-database macro; integer days)
      year(d), quarter(d)          cast(extract(year from d) as integer), cast(extract(quarter from d) as integer)
      range(a, b, interval ...)    generate_series(a, b, interval '...') (inclusive of b on both engines)
      interval 3 month             interval '3 month'
      make_date(y, m, d)           make_date(cast(y as integer), m, d) (PostgreSQL has no bigint form)
      contains(s, t)               strpos(s, t) > 0
      double                       double precision
      asof join                    a range join on [rate_date, next rate_date) (see fct_funding_records)
      union all by name            the columns listed, a typed null (cast(null as varchar)) where one side lacks one
      to_days(n)                   n * interval '1 day'
      isnan(x), isinf(x)           x in (cast('NaN' as double precision), cast('Infinity' as double precision), ...)
      string_split(s, ';')         string_to_array(s, ';')
      last_day(d)                  date_trunc('month', d) + interval '1 month' - interval '1 day'
      a / b of integers or decimals   cast one side as double precision first: PostgreSQL divides integers as
                                   integers and decimals as exact decimals, DuckDB both as doubles
      sum(integer column)          cast(sum(x) as bigint): PostgreSQL sums bigints as numeric
      sum(double column)           sum({{ decimal_of_double('x', 6) }}): a double sum depends on the rows' order
      cast(double as decimal(p, s))   {{ decimal_of_double('x', s) }} (below)
      materialized='view' over a source   materialized='view' if target.type == 'duckdb' else 'table': on
                                   PostgreSQL a view over raw keeps the load step from rebuilding its table
-#}


{#- A double as decimal(38, scale), rounded half away from zero from its shortest decimal form, the same on both
    engines: a plain cast rounds DuckDB's exact binary value (9410868.354999999... -> .35) but PostgreSQL's
    15-digit form of it (9410868.35500000 -> .36). Both engines write a double as its shortest round-trip text
    (PostgreSQL with its default extra_float_digits = 1) and round that text the same way. -#}
{% macro decimal_of_double(expression, scale) -%}
    cast(cast({{ expression }} as varchar) as decimal(38, {{ scale }}))
{%- endmacro %}


{#- source(): DuckDB reads the raw Parquet where the source's meta.external_location says (read_parquet over
    raw/<folder>/*.parquet); PostgreSQL reads the table warehouse/load.py copied those files into: raw."<folder>"
    (raw/_deliveries -> raw."_deliveries", quarantine/*/ -> raw."_quarantine"). The dependency is recorded
    by dbt's own source() in both cases. -#}
{% macro source(source_name, table_name) -%}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {%- if execute and target.type == 'postgres' -%}
        {%- do return(api.Relation.create(
            database=target.database, schema='raw', identifier=raw_table_of(source_name, table_name)
        )) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}


{#- The raw table of a source: the folder its external_location reads, as warehouse/load.py names it. -#}
{% macro raw_table_of(source_name, table_name) -%}
    {%- set found = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {%- do found.append(node.meta.get('external_location', '') or node.config.meta.get('external_location', '')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set location = found[0] if found else '' -%}
    {%- set raw_folder = modules.re.search("/raw/([^/*]+)/[*][.]parquet", location) -%}
    {%- if raw_folder -%}
        {%- do return(raw_folder.group(1)) -%}
    {%- elif modules.re.search("/quarantine/[*]/[*][.]parquet", location) -%}
        {%- do return('_quarantine') -%}
    {%- endif -%}
    {%- do exceptions.raise_compiler_error(
        "source " ~ source_name ~ "." ~ table_name ~ " has no meta.external_location of the form "
        ~ "read_parquet('.../raw/<folder>/*.parquet', ...): on PostgreSQL its raw table cannot be named"
    ) -%}
{%- endmacro %}


{#- Accents removed from Latin letters (Å -> A, é -> e), as DuckDB's strip_accents does for U+00C0-U+024F:
    one translate() on both engines, so they agree by construction (PostgreSQL's unaccent is an extension). -#}
{% macro strip_accents(expression) -%}
    translate(
        {{ expression }},
        'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ',
        'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYy'
    )
{%- endmacro %}


{#- The first capture group of every match of `pattern` in `expression`, joined by `separator`, in order
    (DuckDB: regexp_extract_all; PostgreSQL: regexp_matches with the g flag). Null when nothing matches. -#}
{% macro regexp_matches_joined(expression, pattern, separator) -%}
    {{ return(adapter.dispatch('regexp_matches_joined')(expression, pattern, separator)) }}
{%- endmacro %}

{% macro duckdb__regexp_matches_joined(expression, pattern, separator) -%}
    nullif(array_to_string(regexp_extract_all({{ expression }}, '{{ pattern }}', 1), '{{ separator }}'), '')
{%- endmacro %}

{% macro postgres__regexp_matches_joined(expression, pattern, separator) -%}
    (
        select string_agg(found.groups[1], '{{ separator }}' order by found.n)
        from regexp_matches({{ expression }}, '{{ pattern }}', 'g') with ordinality as found (groups, n)
    )
{%- endmacro %}


{#- The median of a numeric expression, as a double (DuckDB: median; PostgreSQL: percentile_cont). -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median')(expression)) }}
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    cast(median(cast({{ expression }} as double precision)) as double precision)
{%- endmacro %}

{% macro postgres__median(expression) -%}
    percentile_cont(0.5) within group (order by cast({{ expression }} as double precision))
{%- endmacro %}


{#- The value of `value` on the row where `key` is smallest, over the rows where neither is null (DuckDB:
    arg_min; PostgreSQL: the first of the values ordered by key). -#}
{% macro value_at_min(value, key) -%}
    {{ return(adapter.dispatch('value_at_min')(value, key)) }}
{%- endmacro %}

{% macro duckdb__value_at_min(value, key) -%}
    arg_min({{ value }}, {{ key }})
{%- endmacro %}

{% macro postgres__value_at_min(value, key) -%}
    (array_agg({{ value }} order by {{ key }}) filter (where {{ value }} is not null and {{ key }} is not null))[1]
{%- endmacro %}


{#- dbt source freshness (orchestration/defs/freshness.py): on PostgreSQL the newest vintage_at of the raw table
    the load step filled, as source() above reads it; on DuckDB dbt-duckdb reads the external_location itself. -#}
{% macro postgres__collect_freshness(source, loaded_at_field, filter) -%}
    {%- set raw = api.Relation.create(
        database=target.database, schema='raw', identifier=raw_table_of(source.schema, source.identifier)
    ) -%}
    {{ return(dbt.default__collect_freshness(raw, loaded_at_field, filter)) }}
{%- endmacro %}
