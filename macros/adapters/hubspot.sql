{#
    The raw contract tables the HubSpot adapter (models/adapters/hubspot/)
    provides, each as the model hubspot__<table>: with var crm_source
    'hubspot' the staging models read these instead of the raw folder.
#}
{% macro hubspot_contract_tables() -%}
    {{ return([]) }}
{%- endmacro %}
