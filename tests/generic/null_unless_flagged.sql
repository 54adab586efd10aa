{#
    The column is set exactly on the rows whose `key` carries a true `flag`
    in the relation `to`, and null on every other row (a key missing from
    `to` counts as not flagged): e.g. kpi_monthly.is_mature is set for the
    cohort KPIs of kpi_catalog and for no other.  Returns the rows that break
    it, with the flag they were checked against.
#}
{% test null_unless_flagged(model, column_name, key, to, flag) %}

with

flags as (
    select
        {{ key }} as flag_key,
        {{ flag }} as flag
    from {{ to }}
),

checked as (
    select
        tested.{{ key }},
        tested.{{ column_name }},
        coalesce(flags.flag, false) as flag
    from {{ model }} as tested
    left join flags
        on tested.{{ key }} = flags.flag_key
)

select *
from checked
where
    (flag and {{ column_name }} is null)
    or (not flag and {{ column_name }} is not null)

{% endtest %}
