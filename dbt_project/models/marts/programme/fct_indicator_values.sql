-- One row per indicator, period and geography, with its target and progress status.
-- Missing is missing: every headline series (the programme, or the comparison group) has a row for every period,
-- and a value that cannot be computed is null with the reason (missing_reason, missing_sources, missing_detail),
-- never 0 and never rated. An indicator whose catalogue sources include one without accepted rows is missing in
-- every period (source_unavailable), as is one whose SMHI deliveries hold another substance than the one it sums.
-- Status method (in the spirit of the UN SDG progress assessment): compare the average yearly change achieved
-- since the baseline with the yearly change needed to go from the baseline to the target by the target year.
-- progress_ratio = actual rate / required rate; the catalogue sets the thresholds per indicator.
with

computed as (
    select * from {{ ref('int_indicator_values__unioned') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

quarters as (
    select * from {{ ref('int_quarters') }}
),

source_states as (
    select * from {{ ref('int_source_states') }}
),

emission_rows as (
    select * from {{ ref('stg_smhi_emissions__municipality_sectors') }}
),

---------- reasons that hold for a whole series

indicator_sources as (
    select
        indicator_id,
        trim(unnest(string_to_array(sources, ';'))) as source_name
    from catalogue
),

unavailable_sources as (
    select
        indicator_sources.indicator_id,
        string_agg(indicator_sources.source_name, '; ' order by indicator_sources.source_name) as source_names
    from indicator_sources
    left join source_states on indicator_sources.source_name = source_states.source_name
    where not coalesce(source_states.has_accepted_rows, false)
    group by indicator_sources.indicator_id
),

-- SMHI delivered rows, but none of the substance the emissions indicators sum (say, a CO2-only export)
substance_coverage as (
    select count(*) > 0 and count(*) filter (where substance = '{{ var("emissions_substance") }}') = 0 as is_missing
    from emission_rows
),

series_reasons as (
    select
        catalogue.indicator_id,
        case
            when unavailable_sources.source_names is not null then 'source_unavailable'
            when
                (select substance_coverage.is_missing from substance_coverage)
                and catalogue.indicator_id in (
                    select indicator_sources.indicator_id from indicator_sources
                    where indicator_sources.source_name = 'smhi_emissions'
                )
                then 'substance_not_delivered'
        end as missing_reason,
        coalesce(unavailable_sources.source_names, 'smhi_emissions') as missing_sources,
        case when unavailable_sources.source_names is null then '{{ var("emissions_substance") }}' end as missing_detail
    from catalogue
    left join unavailable_sources on catalogue.indicator_id = unavailable_sources.indicator_id
),

---------- the headline series: every quarter, or every year from the baseline year on

last_closed_year as (
    select cast(extract(year from max(quarter_end_date) + interval '1 day') as integer) - 1 as last_year from quarters
),

headline as (
    select
        indicator_id,
        frequency,
        baseline_year,
        case when headline_geography = 'comparison' then 'comparison' else 'programme' end as geography_type,
        case when headline_geography = 'comparison' then 'non_members' else 'SE' end as geography_code
    from catalogue
),

computed_years as (
    select
        indicator_id,
        geography_type,
        geography_code,
        max(cast(extract(year from period_end_date) as integer)) as last_year
    from computed
    group by indicator_id, geography_type, geography_code
),

-- annual series run to the newest year computed, or to the last closed year when nothing is
annual_spine as (
    select
        headline.indicator_id,
        headline.geography_type,
        headline.geography_code,
        years.spine_year
    from headline
    cross join last_closed_year
    left join computed_years
        on
            headline.indicator_id = computed_years.indicator_id
            and headline.geography_type = computed_years.geography_type
            and headline.geography_code = computed_years.geography_code
    cross join
        generate_series(
            cast(headline.baseline_year as bigint),
            cast(coalesce(computed_years.last_year, last_closed_year.last_year) as bigint)
        ) as years (spine_year)
    where headline.frequency = 'annual'
),

spine as (
    select
        headline.indicator_id,
        quarters.period,
        quarters.quarter_end_date as period_end_date,
        headline.geography_type,
        headline.geography_code
    from headline
    cross join quarters
    where headline.frequency = 'quarterly'
    union all
    select
        indicator_id,
        cast(spine_year as varchar) as period,
        make_date(cast(spine_year as integer), 12, 31) as period_end_date,
        geography_type,
        geography_code
    from annual_spine
),

all_rows as (
    select
        coalesce(computed.indicator_id, spine.indicator_id) as indicator_id,
        coalesce(computed.period, spine.period) as period,
        coalesce(computed.period_end_date, spine.period_end_date) as period_end_date,
        coalesce(computed.geography_type, spine.geography_type) as geography_type,
        coalesce(computed.geography_code, spine.geography_code) as geography_code,
        computed.value,
        computed.indicator_id is not null as is_computed,
        computed.missing_reason,
        computed.missing_sources,
        computed.missing_detail
    from computed
    full outer join spine
        on
            computed.indicator_id = spine.indicator_id
            and computed.period = spine.period
            and computed.geography_type = spine.geography_type
            and computed.geography_code = spine.geography_code
),

resolved as (
    select
        all_rows.indicator_id,
        all_rows.period,
        all_rows.period_end_date,
        all_rows.geography_type,
        all_rows.geography_code,
        case when series_reasons.missing_reason is null then all_rows.value end as value,
        case
            when series_reasons.missing_reason is not null then series_reasons.missing_reason
            when all_rows.value is null then coalesce(all_rows.missing_reason, 'no_rows_for_period')
        end as missing_reason,
        case
            when series_reasons.missing_reason is not null then series_reasons.missing_sources
            when all_rows.value is null then coalesce(all_rows.missing_sources, catalogue.sources)
        end as missing_sources,
        case
            when series_reasons.missing_reason is not null then series_reasons.missing_detail
            when all_rows.value is null then all_rows.missing_detail
        end as missing_detail
    from all_rows
    inner join catalogue on all_rows.indicator_id = catalogue.indicator_id
    inner join series_reasons on all_rows.indicator_id = series_reasons.indicator_id
),

---------- targets and status

-- the indicator's own value at the baseline period, where the catalogue gives no baseline value
computed_baselines as (
    select
        resolved.indicator_id,
        resolved.geography_type,
        resolved.geography_code,
        resolved.value as baseline_value
    from resolved
    inner join catalogue on resolved.indicator_id = catalogue.indicator_id
    where
        resolved.period = case
            when catalogue.frequency = 'quarterly' then catalogue.baseline_year || 'Q4'
            else cast(catalogue.baseline_year as varchar)
        end
),

joined as (
    select
        resolved.*,
        catalogue.unit,
        catalogue.desired_direction,
        coalesce(catalogue.baseline_value, computed_baselines.baseline_value) as baseline_value,
        catalogue.baseline_year,
        -- a programme-wide target (48 municipalities) says nothing about one cohort; a rate of change does
        case
            when catalogue.target_scope = 'all' or resolved.geography_type = 'programme' then catalogue.target_value
        end as target_value,
        catalogue.target_year,
        catalogue.on_track_ratio,
        catalogue.moderate_ratio,
        cast({{ dbt.datediff(
            'make_date(cast(catalogue.baseline_year as integer), 12, 31)', 'resolved.period_end_date', 'day'
        ) }} as double precision) / 365.25 as years_since_baseline,
        cast({{ dbt.datediff(
            'make_date(cast(catalogue.baseline_year as integer), 12, 31)',
            'make_date(cast(catalogue.target_year as integer), 12, 31)',
            'day'
        ) }} as double precision) / 365.25 as years_baseline_to_target
    from resolved
    inner join catalogue on resolved.indicator_id = catalogue.indicator_id
    left join computed_baselines
        on
            resolved.indicator_id = computed_baselines.indicator_id
            and resolved.geography_type = computed_baselines.geography_type
            and resolved.geography_code = computed_baselines.geography_code
),

rated as (
    select
        *,
        case
            when
                target_value is not null and baseline_value is not null and years_since_baseline > 0
                and target_value <> baseline_value
                then
                    ((cast(value as double precision) - baseline_value) / years_since_baseline)
                    / ((cast(target_value as double precision) - baseline_value) / years_baseline_to_target)
        end as progress_ratio
    from joined
),

final as (
    select
        ---------- ids
        cast(indicator_id as varchar) as indicator_id,
        cast(period as varchar) as period,
        cast(geography_type as varchar) as geography_type,
        cast(geography_code as varchar) as geography_code,

        ---------- attributes
        cast(period_end_date as date) as period_end_date,
        cast(value as double precision) as value,
        cast(unit as varchar) as unit,
        cast(baseline_value as double precision) as baseline_value,
        cast(baseline_year as integer) as baseline_year,
        cast(target_value as double precision) as target_value,
        cast(target_year as integer) as target_year,
        cast(progress_ratio as double precision) as progress_ratio,
        -- a missing value is never rated, whether or not the indicator has a target
        cast(case
            when value is null then 'no_data'
            when target_value is null then 'no_target'
            when
                (desired_direction = 'increase' and value >= target_value)
                or (desired_direction = 'decrease' and value <= target_value)
                then 'achieved'
            when progress_ratio is null then 'not_assessed'
            when progress_ratio >= on_track_ratio then 'on_track'
            when progress_ratio >= moderate_ratio then 'moderate_progress'
            when progress_ratio >= 0 then 'limited_progress'
            else 'regressing'
        end as varchar) as status,

        ---------- missing data
        cast(missing_reason as varchar) as missing_reason,
        cast(missing_sources as varchar) as missing_sources,
        cast(missing_detail as varchar) as missing_detail
    from rated
)

select * from final
