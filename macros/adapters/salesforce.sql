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
    A where-condition that keeps the current version of each record of a
    landed Salesforce object.  Fivetran's history mode keeps every version
    of a record (_fivetran_start, _fivetran_end) and flags the current one
    with _fivetran_active; a table synced without history mode has one row
    per record and no such column.  Var salesforce_history_mode_tables names
    the objects synced in history mode (default: lead and opportunity).
#}
{% macro salesforce_current_version(object_name, alias=none) -%}
    {%- set history_mode = var('salesforce_history_mode_tables', ['lead', 'opportunity']) -%}
    {%- if history_mode is string -%}
        {%- set history_mode = [history_mode] -%}
    {%- endif -%}
    {%- if object_name in history_mode -%}
        {{ (alias ~ '.' if alias else '') ~ '_fivetran_active' }} = true
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#
    A Salesforce picklist label read back as a contract code: trimmed,
    lower-cased, spaces turned into underscores ('Closed Won' -> closed_won,
    'Paid Search' -> paid_search).
#}
{% macro salesforce_code(expression) -%}
    replace(lower(trim({{ expression }})), ' ', '_')
{%- endmacro %}
