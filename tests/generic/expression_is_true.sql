{#
    Fails for every row where the boolean SQL expression is not true (false
    or null).  Optional `where` narrows the rows checked.
#}
{% test expression_is_true(model, expression, where_clause=none, column_name=none) %}

select *
from {{ model }}
where
    not coalesce({{ expression }}, false)
    {%- if where_clause %}
        and ({{ where_clause }})
    {%- endif %}

{% endtest %}
