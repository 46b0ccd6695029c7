{#- Use the folder's schema name as it is (staging, marts, reports), not prefixed with the target schema.
    On PostgreSQL a build writes <schema>__build and publishes it at its end (publish_build.sql), so readers of
    the shared warehouse never see a half-built state. A test's stored failures (store_failures) are not part of
    what is published: they go to their schema as named (dbt_test__audit) on both engines. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.type == 'postgres' and node.resource_type != 'test' -%}
        {{ custom_schema_name | trim }}{{ build_suffix() }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
