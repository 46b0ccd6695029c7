{#- The order in which a source's files were delivered, oldest first: one place for the cover, the data-quality
    sheet and the missing-data reasons to agree on which delivery is the newest. -#}
{% macro delivery_order() -%}
    delivered_at, file_sha256
{%- endmacro %}
