{#
    Pieces of a URL.  Trackers keep the full URL; utm_* parameters and the
    referring host are what channel rules need.  An absent piece is null.
#}
{% macro url_query_parameter(url, parameter) -%}
    nullif(lower({{ regex_extract(url, "'[?&]" ~ parameter ~ "=([^&#]*)'") }}), '')
{%- endmacro %}

{% macro url_host(url) -%}
    nullif(lower({{ regex_extract(url, "'^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)'") }}), '')
{%- endmacro %}

{# First capture group of pattern in expression, '' or null when it does not match. #}
{% macro regex_extract(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_extract', 'leadgen')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_extract(expression, pattern) -%}
    regexp_extract({{ expression }}, {{ pattern }}, 1)
{%- endmacro %}

{% macro postgres__regex_extract(expression, pattern) -%}
    substring({{ expression }} from {{ pattern }})
{%- endmacro %}

{% macro snowflake__regex_extract(expression, pattern) -%}
    regexp_substr({{ expression }}, {{ pattern }}, 1, 1, 'e', 1)
{%- endmacro %}

{% macro bigquery__regex_extract(expression, pattern) -%}
    regexp_extract({{ expression }}, r{{ pattern }})
{%- endmacro %}
