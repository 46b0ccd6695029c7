{#-
    The rows of a source as they stand after its newest deliveries, by the contract's delivery semantics
    (source.yaml `delivery:`, written by ingest into each row's delivery_scope):

    * a snapshot (delivery_scope '*' for the whole source, or e.g. 'municipality_code=0180;report_year=2024' for
      one scope) replaces its scope: only rows of the newest delivery of that scope are kept, so a key the newest
      file lacks is gone from that vintage on;
    * an increment (delivery_scope null) adds and restates: per key, the row from the newest delivery wins.

    vintage_at is the arrival order (strictly increasing per source, given when the file is first archived).
-#}
{% macro latest_vintage(key_columns) -%}
    qualify
        (delivery_scope is null or vintage_at = max(vintage_at) over (partition by delivery_scope))
        and row_number() over (
            partition by {{ key_columns | join(', ') }}
            order by vintage_at desc, source_file_sha256 desc
        ) = 1
{%- endmacro %}

{#- The rows of each scope's newest delivery, for models that keep every row of it (a template's actions). -#}
{% macro newest_delivery() -%}
    qualify delivery_scope is null or vintage_at = max(vintage_at) over (partition by delivery_scope)
{%- endmacro %}
