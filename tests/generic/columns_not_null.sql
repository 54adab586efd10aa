{#
    not_null for several columns of one model in a single query: one scan
    instead of one test per column.  Returns every row with a null in any of
    the columns (so its failure count is not_null's: rows, not columns),
    with null_columns naming which of them are null on that row (space
    separated).
#}
{% test columns_not_null(model, columns) %}

{%- if columns is string or columns | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "columns_not_null on " ~ model ~ ": columns must be a non-empty list of column names"
    ) }}
{%- endif %}

{#- dbt.concat and a case per column rather than concat_ws, which BigQuery lacks -#}
{%- set pieces = [] -%}
{%- for column in columns -%}
    {%- do pieces.append("case when " ~ column ~ " is null then ' " ~ column ~ "' else '' end") -%}
{%- endfor %}
select
    trim({{ dbt.concat(pieces) }}) as null_columns
from {{ model }}
where
    {%- for column in columns %}
    {{ 'or ' if not loop.first }}{{ column }} is null
    {%- endfor %}

{% endtest %}
