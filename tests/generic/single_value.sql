{#
    The whole table holds one value in the column (a null counts as a value):
    e.g. the as-of date every row of kpi_monthly was built for.  Returns one
    row with the number of distinct values when there are several.
#}
{% test single_value(model, column_name) %}

select count(*) as distinct_values
from (
    select distinct {{ column_name }}
    from {{ model }}
) as found_values
having count(*) > 1

{% endtest %}
