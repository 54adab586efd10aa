{#
    Custom schemas land as-is (staging, marts, ...) rather than dbt's default
    <target_schema>_<custom>, so BI tools see stable schema names.  Without a
    custom schema a model goes to the target's schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
