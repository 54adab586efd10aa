{#
    The raw contract tables the Salesforce adapter (models/adapters/salesforce/)
    provides, each as the model salesforce__<table>: with var crm_source
    'salesforce' the staging models read these instead of the raw folder.
#}
{% macro salesforce_contract_tables() -%}
    {{ return([]) }}
{%- endmacro %}
