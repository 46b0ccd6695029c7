{#- The order in which a source's files were delivered (oldest first; 'desc' for newest first): one place for the
    cover, the data-quality sheet and the missing-data reasons to agree on which delivery is the newest. -#}
{% macro delivery_order(direction='asc') -%}
    delivered_at {{ direction }}, file_sha256 {{ direction }}
{%- endmacro %}
