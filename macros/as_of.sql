{#
    The as-of date closes the data set (docs/kpis.md, "Period").  It is computed
    once, in util_as_of_date, and read from there as a scalar subquery so no
    model needs a join for it.
#}
{% macro as_of_date() -%}
    (select as_of.as_of_date from {{ ref('util_as_of_date') }} as as_of)
{%- endmacro %}

{# First instant after the as-of day: "up to the as-of date" means before this. #}
{% macro as_of_end() -%}
    (select as_of.as_of_end from {{ ref('util_as_of_date') }} as as_of)
{%- endmacro %}

{# The var is checked as a date (macros/vars.sql) before it reaches SQL. #}
{% macro min_valid_timestamp() -%}
    cast('{{ date_var("min_valid_timestamp", required=true) }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
