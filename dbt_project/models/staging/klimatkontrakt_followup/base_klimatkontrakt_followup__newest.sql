-- a view, not ephemeral: its unit test needs a relation; on PostgreSQL a table (a view over a raw table would keep
-- the load step from rebuilding it: macros/cross_db.sql)
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}
-- The rows of the newest delivered template per municipality and report year: a template is a snapshot of one
-- municipality's year (its delivery_scope, source.yaml `delivery:`) and replaces the earlier file whole. The
-- staging models of this source read from here.
with

source as (
    select * from {{ source('klimatkontrakt_followup', 'raw') }}
),

newest_submission as (
    {{ newest_delivery('source') }}
)

select * from newest_submission
