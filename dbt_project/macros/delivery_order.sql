{#- The order in which a source's files arrived (oldest first; 'desc' for newest first): the arrival number ingest
    gives each file when it is first archived (sources/archive.py), never a file's own time. One place for the
    cover, the data-quality sheet and the missing-data reasons to agree on which delivery is the newest. -#}
{% macro delivery_order(direction='asc') -%}
    arrival {{ direction }}, delivered_at {{ direction }}, file_sha256 {{ direction }}
{%- endmacro %}
