{#
    Exact elapsed seconds between two timestamps (docs/kpis.md: durations are
    elapsed time, not differences of calendar dates).  Divide by 60, 3600 or
    86400 for minutes, hours or days.
#}
{% macro elapsed_seconds(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('elapsed_seconds', 'leadgen')(start_ts, end_ts)) }}
{%- endmacro %}

{% macro default__elapsed_seconds(start_ts, end_ts) -%}
    {{ dbt.datediff(start_ts, end_ts, 'second') }}
{%- endmacro %}

{% macro duckdb__elapsed_seconds(start_ts, end_ts) -%}
    (epoch({{ end_ts }}) - epoch({{ start_ts }}))
{%- endmacro %}

{#- Spark: dbt.datediff in seconds drops the fractions; unix_micros keeps them. -#}
{% macro spark__elapsed_seconds(start_ts, end_ts) -%}
    (cast(unix_micros(cast({{ end_ts }} as timestamp)) - unix_micros(cast({{ start_ts }} as timestamp)) as double) / 1000000)
{%- endmacro %}

{% macro postgres__elapsed_seconds(start_ts, end_ts) -%}
    cast(extract(epoch from ({{ end_ts }} - {{ start_ts }})) as double precision)
{%- endmacro %}

{# The month an instant falls in, as a DATE (first day of the month). #}
{% macro month_of(ts) -%}
    cast({{ dbt.date_trunc('month', ts) }} as date)
{%- endmacro %}

{#
    A 64-bit floating point type.  dbt.type_float() is a 32-bit FLOAT on
    some warehouses (DuckDB among them), which loses cents on large USD sums.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'leadgen')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}

{% macro snowflake__type_double() -%}
    float
{%- endmacro %}
