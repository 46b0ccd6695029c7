-- What the warehouse was built as of: the report's manifest records it, so a rebuild can use the same date.
select
    {{ as_of_date() }} as as_of_date,
    '{{ var("programme_start") }}' as programme_start
