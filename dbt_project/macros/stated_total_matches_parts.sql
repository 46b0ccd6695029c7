{#-
    A file's own total against the sum of its parts, in each source's newest deliveries (the rows staging keeps):
    the row whose `part_column` is `total_label` (SMHI's "Alla") against the sum of the other rows of its group.
    A group fails when they differ by more than `tolerance` (absolute) and by more than `relative` of the total:
    SMHI rounds each value, so its totals match their sectors to within a few hundredths of a tonne.
    Groups without parts (an export of totals only) are not judged. Used at warn severity: a mismatch is said on
    the data-quality sheet, the figures still publish (they are built from the parts).
-#}
{% test stated_total_matches_parts(
    model, value_column, part_column, group_columns, total_label='Alla', where_all=[], tolerance=1.0, relative=0.0001
) %}
with

current_rows as (
    select * from {{ model }}
    {% if where_all %} where {% for column in where_all %}{{ column }} = '{{ total_label }}'{% if not loop.last %} and {% endif %}{% endfor %}{% endif %}
    {{ newest_delivery() }}
),

groups as (
    select
        {{ group_columns | join(', ') }},
        max(case when {{ part_column }} = '{{ total_label }}' then {{ value_column }} end) as stated_total,
        sum(case when {{ part_column }} <> '{{ total_label }}' then {{ value_column }} end) as sum_of_parts,
        count(case when {{ part_column }} <> '{{ total_label }}' then 1 end) as parts
    from current_rows
    group by {{ group_columns | join(', ') }}
)

select * from groups
where
    parts > 0
    and stated_total is not null
    and abs(stated_total - sum_of_parts) > greatest({{ tolerance }}, {{ relative }} * abs(stated_total))
{% endtest %}
