{#- Keep the rows of the newest delivered file per scope: a file that is a snapshot of one scope (one
    municipality's follow-up for one year) replaces the earlier file of that scope whole. -#}
{% macro newest_file(scope_columns) -%}
    qualify source_file_sha256 = first_value(source_file_sha256) over (
        partition by {{ scope_columns | join(', ') }}
        order by vintage_at desc, source_file_sha256 desc
    )
{%- endmacro %}
