{{ config(materialized='ephemeral') }}
-- The rows of the newest delivered template per municipality and report year: a template is a snapshot of one
-- municipality's year and replaces the earlier file whole. The staging models of this source read from here.
with

source as (
    select * from {{ source('klimatkontrakt_followup', 'raw') }}
),

newest_submission as (
    select * from source
    {{ newest_file(['municipality_code', 'report_year']) }}
)

select * from newest_submission
