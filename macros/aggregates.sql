{#
    first_values_by(columns, order_by): for a grouped select, one select item
    per column, "<its value on the group's first row> as <column name>", the
    first row being the lowest by the order_by expressions (a list, compared
    in order; none of them may be null).  A null on the first row stays null:
    it does not fall through to the next row's value.  A column may carry a
    table alias ('events.page_path' gives page_path).

    It replaces a row_number() over the whole table followed by "where
    row_number = 1": that window sorts every row with all its columns, where
    this is one pass of the group by the query already does.
#}
{% macro first_values_by(columns, order_by) -%}
    {{ return(adapter.dispatch('first_values_by', 'leadgen')(columns, order_by)) }}
{%- endmacro %}

{#- One select item per column: the template with {column} (the expression)
    and {name} (its name without table alias) filled in, aliased as name. -#}
{% macro first_value_items(columns, template) -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- set name = column.split('.')[-1] -%}
        {%- do items.append(template | replace('{column}', column) | replace('{name}', name) ~ ' as ' ~ name) -%}
    {%- endfor -%}
    {{ items | join(',\n') }}
{%- endmacro %}

{% macro default__first_values_by(columns, order_by) -%}
    {{ first_value_items(columns, '(array_agg({column} order by ' ~ order_by | join(', ') ~ '))[1]') }}
{%- endmacro %}

{% macro duckdb__first_values_by(columns, order_by) -%}
    {#- One arg_min over a struct of all the columns, repeated per column:
        DuckDB computes identical aggregates once, and one struct state per
        group is several times cheaper than one arg_min state per column.  The
        struct is never null, so null values are kept as they are. -#}
    {%- set fields = [] -%}
    {%- for column in columns -%}
        {%- do fields.append(column.split('.')[-1] ~ ' := ' ~ column) -%}
    {%- endfor -%}
    {{ first_value_items(
        columns,
        'arg_min(struct_pack(' ~ fields | join(', ') ~ '), row(' ~ order_by | join(', ') ~ ')).{name}'
    ) }}
{%- endmacro %}

{% macro spark__first_values_by(columns, order_by) -%}
    {{ first_value_items(columns, 'min_by({column}, struct(' ~ order_by | join(', ') ~ '))') }}
{%- endmacro %}
