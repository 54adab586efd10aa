{#
    Within every group of rows sharing the group_by columns, the given
    columns hold one combination of values (a null counts as a value): e.g.
    one session_key, one visitor.  Returns the groups that break it.
#}
{% test single_value_per_group(model, group_by, columns) %}

select
    {{ group_by | join(', ') }},
    count(*) as value_combinations
from (
    -- distinct first, then count: cheaper than count(distinct) per column
    select distinct {{ (group_by + columns) | join(', ') }}
    from {{ model }}
) as combinations
group by {{ group_by | join(', ') }}
having count(*) > 1

{% endtest %}
