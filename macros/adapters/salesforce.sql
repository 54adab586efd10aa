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
