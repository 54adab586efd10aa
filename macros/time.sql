{#
    Exact elapsed seconds between two timestamps (kpis.md: durations are
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

{% macro postgres__elapsed_seconds(start_ts, end_ts) -%}
    extract(epoch from ({{ end_ts }} - {{ start_ts }}))
{%- endmacro %}

{# The month an instant falls in, as a DATE (first day of the month). #}
{% macro month_of(ts) -%}
    cast({{ dbt.date_trunc('month', ts) }} as date)
{%- endmacro %}
