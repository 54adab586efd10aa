{#
    Type names on Spark.  The project's yml (seed column_types, the
    kpi_monthly contract) names types as DuckDB and PostgreSQL both read
    them: varchar (text of any length, which Spark takes only with a
    length) and double precision (which Spark does not parse).  spark_type
    gives Spark's name for them, and any other type as it is.
#}
{% macro spark_type(sql_type) -%}
    {%- set names = {'varchar': 'string', 'text': 'string', 'double precision': 'double'} -%}
    {{ return(names.get(sql_type | lower | trim, sql_type)) }}
{%- endmacro %}

{#
    dbt.cast on Spark, with the type name through spark_type: dbt checks an
    enforced contract (kpi_monthly) by casting null to each declared type.
#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{#
    Seeds on Spark: dbt-spark builds a seed from its column_types twice (the
    create table, then a cast per value in the inserts), both read from the
    node's config, so the types are made Spark's there (spark_type) before
    dbt-spark's own create_csv_table runs.
#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set column_types = model['config'].get('column_types') or {} -%}
    {%- for column, sql_type in column_types.items() -%}
        {%- do column_types.update({column: spark_type(sql_type)}) -%}
    {%- endfor -%}
    {{ return(dbt.spark__create_csv_table(model, agate_table)) }}
{%- endmacro %}

{#
    dbt-spark's session method binds seed values by pasting each into the
    SQL text in single quotes, unescaped: a quote in a value (kpi_definitions,
    lead_scoring_rules) breaks the statement, and an empty cell arrives as
    the text 'None' rather than null (icp_criteria's min_value, max_value).
    So on Spark the values are written as literals here: null, true or
    false, numbers as they are, and any other value as a string literal
    with backslashes and quotes escaped (Spark reads a backslash in a
    literal as an escape), each cast to its column's type as dbt-spark does.
#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = model['config'].get('column_types') or {} -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_types.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ spark_seed_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{# One seed value as a Spark SQL literal. #}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        {{ spark__sql_string(value) }}
    {%- endif -%}
{%- endmacro %}
