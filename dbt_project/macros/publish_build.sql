{#-
    Write-audit-publish for the shared PostgreSQL warehouse (DuckDB builds in place: one writer holds its file).

    A build writes every model and seed into <schema>__build (generate_schema_name.sql), runs its tests there,
    and only when no node failed, errored or was skipped does on-run-end move each built relation into its
    published schema (staging, marts, reports, reference), in one transaction: a reader sees the previous build
    or this one, never a mix, and a build that fails or is killed publishes nothing. The next build starts by
    dropping what a failed one left in the __build schemas.

    A build of a subset (dbt --select) reads the models it did not select from the published schemas (ref() below),
    so the __build schemas only ever hold what this build made.

    Grants on published tables go with the relation: declare them with dbt's `grants` config, which applies them
    in the __build schema before the move.
-#}


{% macro build_suffix() -%}
    {{- var('build_schema_suffix', '__build') -}}
{%- endmacro %}


{#- ref(): on PostgreSQL, a model this invocation does not build is read where it is published. -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if execute and target.type == 'postgres' and relation.schema and relation.schema.endswith(build_suffix()) -%}
        {%- set name = varargs[-1] -%}
        {%- set package = varargs[0] if varargs | length > 1 else project_name -%}
        {%- set ids = [] -%}
        {%- for kind in ('model', 'seed', 'snapshot') -%}{%- do ids.append(kind ~ '.' ~ package ~ '.' ~ name) -%}{%- endfor -%}
        {%- set selected = ids | select('in', selected_resources) | list -%}
        {%- if not selected -%}
            {%- do return(relation.incorporate(path={'schema': relation.schema[:-(build_suffix() | length)]})) -%}
        {%- endif -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}


{#- on-run-start: a clean slate for this build's schemas (dbt has just created them; through the adapter, so that
    its cache of relations forgets what a failed build left there). -#}
{% macro prepare_build() -%}
    {%- if execute and target.type == 'postgres' -%}
        {%- for schema in build_schemas() -%}
            {%- set relation = api.Relation.create(database=target.database, schema=schema) -%}
            {%- do adapter.drop_schema(relation) -%}
            {%- do adapter.create_schema(relation) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#- The __build schemas of this project's models and seeds. -#}
{% macro build_schemas() -%}
    {%- set schemas = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type in ('model', 'seed', 'snapshot') and node.schema.endswith(build_suffix())
            and node.schema not in schemas -%}
            {%- do schemas.append(node.schema) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(schemas | sort) -%}
{%- endmacro %}


{#- on-run-end: publish what this build made, all of it or nothing. -#}
{% macro publish_build(results) -%}
    {%- if not execute or target.type != 'postgres' -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set failed = [] -%}
    {%- for result in results -%}
        {%- if result.status in ('error', 'fail', 'skipped', 'runtime error') -%}
            {%- do failed.append(result.node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if failed -%}
        {%- do log('warehouse not published: ' ~ failed | length ~ ' node(s) failed or were skipped ('
            ~ failed[:5] | join(', ') ~ '); the published schemas are unchanged', info=true) -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set schemas = build_schemas() -%}
    {%- if not schemas -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for schema in schemas -%}{%- do quoted.append("'" ~ schema ~ "'") -%}{%- endfor -%}
    {%- set built = run_query(
        "select n.nspname, c.relname, case when c.relkind = 'v' then 'view' else 'table' end
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in (" ~ quoted | join(', ') ~ ") and c.relkind in ('r', 'v', 'p')
        order by 1, 2"
    ) -%}
    {%- set published = run_query(
        "select n.nspname, c.relname, case when c.relkind = 'v' then 'view' else 'table' end
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname || '" ~ build_suffix() ~ "' in (" ~ quoted | join(', ') ~ ") and c.relkind in ('r', 'v', 'p')"
    ) -%}
    {%- set existing = {} -%}
    {%- for row in published.rows -%}{%- do existing.update({row[0] ~ '.' ~ row[1]: row[2]}) -%}{%- endfor -%}
    {%- set suffix_length = build_suffix() | length -%}
    {%- set views, tables, moves = [], [], [] -%}
    {%- for row in built.rows -%}
        {%- set target_schema = row[0][:-suffix_length] -%}
        {%- set old = existing.get(target_schema ~ '.' ~ row[1]) -%}
        {%- set qualified = adapter.quote(target_schema) ~ '.' ~ adapter.quote(row[1]) -%}
        {%- if old == 'view' -%}{%- do views.append(qualified) -%}
        {%- elif old == 'table' -%}{%- do tables.append(qualified) -%}{%- endif -%}
        {%- do moves.append('alter ' ~ row[2] ~ ' ' ~ adapter.quote(row[0]) ~ '.' ~ adapter.quote(row[1])
            ~ ' set schema ' ~ adapter.quote(target_schema)) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for schema in schemas -%}
        {%- do statements.append('create schema if not exists ' ~ adapter.quote(schema[:-suffix_length])) -%}
    {%- endfor -%}
    {#- views first: a replaced view may read a replaced table; without cascade, a published view that this build
        did not make and that reads a replaced table stops the publication (PostgreSQL names it) -#}
    {%- if views -%}{%- do statements.append('drop view ' ~ views | join(', ')) -%}{%- endif -%}
    {%- if tables -%}{%- do statements.append('drop table ' ~ tables | join(', ')) -%}{%- endif -%}
    {%- do statements.extend(moves) -%}
    {%- for schema in schemas -%}
        {%- do statements.append('drop schema ' ~ adapter.quote(schema)) -%}
    {%- endfor -%}
    {%- do log('publishing ' ~ moves | length ~ ' relations from ' ~ schemas | join(', '), info=true) -%}
    {%- do return('begin;\n' ~ statements | join(';\n') ~ ';\ncommit') -%}
{%- endmacro %}
