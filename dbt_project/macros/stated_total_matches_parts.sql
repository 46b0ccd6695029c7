{#-
    A file's own totals against the sum of their parts, in each source's newest deliveries (the rows staging
    keeps). Each level names a `part_column` and the `group_columns` of a group: the group's row whose part is
    `total_label` (SMHI's "Alla") against the sum of its other rows; `where_total` names columns that must be the
    total label on the level's rows (the main sectors: only sub_sector 'Alla'). A group fails when the two differ
    by more than `tolerance` (absolute) and more than `relative` of the total: SMHI rounds each value, so its
    totals match their sectors to within a few hundredths of a tonne. Groups without parts (an export of totals
    only) are not judged. One test for every level (a dbt node costs a fraction of a second of every build).
    Used at warn severity: a mismatch is said on the data-quality sheet, and the figures, built from the parts,
    still publish.
-#}
{% test stated_total_matches_parts(model, value_column, levels, total_label='Alla', tolerance=1.0, relative=0.0001) %}
with

current_rows as (
    {{ newest_delivery(model) }}
),

{% for level in levels %}
level_{{ loop.index }} as (
    select
        '{{ level.part_column }}' as part_column,
        {{ level.group_columns | join(" || ' | ' || ") }} as total_of,
        max(case when {{ level.part_column }} = '{{ total_label }}' then {{ value_column }} end) as stated_total,
        sum(case when {{ level.part_column }} <> '{{ total_label }}' then {{ value_column }} end) as sum_of_parts,
        count(case when {{ level.part_column }} <> '{{ total_label }}' then 1 end) as parts
    from current_rows
    {% if level.where_total %}
    where {% for column in level.where_total %}{{ column }} = '{{ total_label }}'{% if not loop.last %} and {% endif %}{% endfor %}
    {% endif %}
    group by {{ level.group_columns | join(', ') }}
),
{% endfor %}

groups as (
    {% for level in levels %}
    select * from level_{{ loop.index }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from groups
where
    parts > 0
    and stated_total is not null
    and abs(stated_total - sum_of_parts) > greatest({{ tolerance }}, {{ relative }} * abs(stated_total))
{% endtest %}
