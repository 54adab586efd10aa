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

{#
    exact_sum(expression): sum() of a fractional measure (money, days,
    weights) that gives the same result on every run.  A parallel warehouse
    adds a group's rows in whatever order its threads finish, and floating
    point addition is not associative, so a double sum can move in its last
    digits between two builds of the same data (seen on USD sums at scale 10).
    Summed as a wide fixed-point decimal the addition is exact, so the order
    no longer matters; the result comes back as a double.  Eighteen decimals
    keep far more than a double carries for the values summed here (to
    twenty integer digits).  exact_avg is the same for avg().
#}
{% macro exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as {{ exact_decimal() }})) as {{ type_double() }})
{%- endmacro %}

{% macro exact_avg(expression) -%}
    cast(avg(cast({{ expression }} as {{ exact_decimal() }})) as {{ type_double() }})
{%- endmacro %}

{% macro exact_decimal() -%}
    {{ return(adapter.dispatch('exact_decimal', 'leadgen')()) }}
{%- endmacro %}

{% macro default__exact_decimal() -%}
    decimal(38, 18)
{%- endmacro %}

{# BigQuery's NUMERIC stops at 9 decimals; BIGNUMERIC holds 38. #}
{% macro bigquery__exact_decimal() -%}
    bignumeric
{%- endmacro %}

{#
    dbt.listagg on Spark: dbt-spark drops the order by (with a warning), so
    the list comes in whatever order the tasks finish.  Here the values are
    collected with their sort keys and sorted: ascending keys only, nulls
    first, as array_sort orders structs.
#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause -%}
        {%- set keys = modules.re.sub('^\\s*order\\s+by\\s+', '', order_by_clause, flags=modules.re.I).split(',') -%}
        {%- for key in keys if modules.re.search('\\s(desc|asc|nulls)\\b', key, flags=modules.re.I) -%}
            {{ exceptions.raise_compiler_error("spark__listagg: only ascending sort keys, without asc, desc or nulls: " ~ order_by_clause) }}
        {%- endfor -%}
        {%- set items -%}
            transform(
                array_sort(collect_list(struct(
                    {%- for key in keys %}{{ key | trim }} as sort_key_{{ loop.index }}, {% endfor -%}
                    {{ measure }} as listed_value
                ))),
                listed -> listed.listed_value
            )
        {%- endset -%}
    {%- else -%}
        {%- set items = 'collect_list(' ~ measure ~ ')' -%}
    {%- endif -%}
    array_join({% if limit_num %}slice({{ items }}, 1, {{ limit_num }}){% else %}{{ items }}{% endif %}, {{ delimiter_text }})
{%- endmacro %}
