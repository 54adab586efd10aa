{#
    A table of a CRM vendor's connector schema, for that vendor's adapter
    models (models/adapters/<vendor>/).  The schema (var <vendor>_schema)
    and the table's landed name (var <vendor>_<table>_identifier, as the
    Fivetran dbt packages name them) reach SQL, and on DuckDB a file path,
    through the vendor's sources YAML: both are checked here to be plain
    identifiers, so no quote, brace or slash in a var can change what is read.
#}
{% macro vendor_source(vendor, table_name) -%}
    {%- do identifier_var(vendor ~ '_schema', vendor) -%}
    {%- do identifier_var(vendor ~ '_' ~ table_name ~ '_identifier', table_name) -%}
    {{ return(source(vendor, table_name)) }}
{%- endmacro %}
