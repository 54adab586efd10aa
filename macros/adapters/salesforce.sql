{#
    The raw contract tables the Salesforce adapter (models/adapters/salesforce/)
    provides, each as the model salesforce__<table>: with var crm_source
    'salesforce' the staging models read these instead of the raw folder.
    email_events stays a contract table: Salesforce holds no email-service
    events (they come from the email service, as in the contract shape).
    src/leadgen/vendors/salesforce.py CONTRACT_TABLES holds the same list.
#}
{% macro salesforce_contract_tables() -%}
    {{ return([
        'crm_leads',
        'crm_lead_stage_changes',
        'crm_accounts',
        'crm_users',
        'crm_lead_assignments',
        'crm_activities',
        'crm_deals',
        'crm_deal_stage_history',
        'marketing_campaigns',
    ]) }}
{%- endmacro %}

{#
    Whether a row of a Salesforce object is its current version, as SQL: an
    object Fivetran syncs in history mode (var
    salesforce_history_mode_tables, default lead and opportunity) lands every
    version of a record as a row, and only the active one (_fivetran_active)
    is current; any other object has one row per record.
#}
{% macro salesforce_is_current(object_name) -%}
    {%- set history_mode = var('salesforce_history_mode_tables', ['lead', 'opportunity']) -%}
    {%- if history_mode is string or history_mode is mapping or history_mode is not iterable -%}
        {{ var_error('salesforce_history_mode_tables', history_mode, 'a list of Salesforce objects, e.g. [lead]') }}
    {%- endif -%}
    {{ return('_fivetran_active' if object_name in history_mode else 'true') }}
{%- endmacro %}
