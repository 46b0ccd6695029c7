{#- Keep, per key, the row from the newest delivery: a later file restates what an earlier one said. -#}
{% macro latest_vintage(key_columns) -%}
    qualify row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by vintage_at desc, source_file_sha256 desc
    ) = 1
{%- endmacro %}
