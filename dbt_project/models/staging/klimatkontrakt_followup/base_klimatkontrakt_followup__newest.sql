{{ config(materialized='view') }}  -- a view, not ephemeral: its unit test needs a relation
-- The rows of the newest delivered template per municipality and report year: a template is a snapshot of one
-- municipality's year (its delivery_scope, source.yaml `delivery:`) and replaces the earlier file whole. The
-- staging models of this source read from here.
with

source as (
    select * from {{ source('klimatkontrakt_followup', 'raw') }}
),

newest_submission as (
    select * from source
    {{ newest_delivery() }}
)

select * from newest_submission
