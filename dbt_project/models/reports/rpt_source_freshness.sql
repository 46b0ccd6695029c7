-- Per source: when its next delivery is due and whether it is late at the build's as-of date. The window is each
-- dbt source's own freshness config (warn_after, in days, on loaded_at_field = vintage_at: what `dbt source
-- freshness` checks in the Dagster UI), which the contract's cadence gives (sources/cadence.py). The newest
-- accepted delivery counts; a source with none is missing. One row per source with a freshness window.
{%- set windows = [] -%}
{%- if execute -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- set warn_after = node.config.freshness.warn_after if node.config.freshness else none -%}
        {%- if warn_after and warn_after.count and node.config.meta.dagster -%}
            {%- do windows.append((node.config.meta.dagster.asset_key[-1], warn_after.count, warn_after.period)) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}
with

deliveries as (
    select * from {{ ref('stg_pipeline__deliveries') }}
),

windows as (
    {%- for source_name, count, period in windows %}
    select
        '{{ source_name }}' as source_name,
        {{ count }} as due_after_count,
        '{{ period }}' as due_after_period
    {%- if not loop.last %}
    union all
    {%- endif -%}
    {%- else %}
    select
        cast(null as varchar) as source_name,
        cast(null as integer) as due_after_count,
        cast(null as varchar) as due_after_period
    where false
    {%- endfor %}
),

newest as (
    select
        source_name,
        max(delivered_at) filter (where delivery_status <> 'rejected') as latest_delivery_at
    from deliveries
    group by source_name
),

due as (
    select
        windows.source_name,
        windows.due_after_count,
        windows.due_after_period,
        newest.latest_delivery_at,
        case windows.due_after_period
            when 'day' then cast(newest.latest_delivery_at + windows.due_after_count * interval '1 day' as date)
            when 'hour' then cast(newest.latest_delivery_at + windows.due_after_count * interval '1 hour' as date)
            when 'minute' then cast(newest.latest_delivery_at + windows.due_after_count * interval '1 minute' as date)
        end as next_due_on
    from windows
    left join newest on windows.source_name = newest.source_name
),

final as (
    select
        source_name,
        due_after_count,
        due_after_period,
        latest_delivery_at,
        next_due_on,
        {{ as_of_date() }} as as_of_date,
        case
            when latest_delivery_at is null then 'missing'
            when {{ as_of_date() }} > next_due_on then 'late'
            else 'on_time'
        end as freshness_status
    from due
)

select * from final
