{#- The order in which a source's files were delivered, oldest first: one place for the cover, the data-quality
    sheet and the missing-data reasons to agree on which delivery is the newest. -#}
{% macro delivery_order(relation='') -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}delivered_at, {{ prefix }}file_sha256
{%- endmacro %}
