{#
    The raw contract tables the HubSpot adapter (models/adapters/hubspot/)
    provides, each as the model hubspot__<table>: with var crm_source
    'hubspot' the staging models read these instead of the raw folder.
    src/leadgen/vendors/hubspot.py holds the same list (CONTRACT_TABLES; a
    pytest compares them).
#}
{% macro hubspot_contract_tables() -%}
    {{ return([
        'crm_leads',
        'crm_lead_stage_changes',
        'crm_accounts',
        'crm_users',
        'crm_lead_assignments',
        'crm_activities',
        'crm_deals',
        'crm_deal_stage_history',
        'email_events',
    ]) }}
{%- endmacro %}

{#
    HubSpot's ids are numbers (Fivetran lands them as BIGINT), the contract's
    are text: every id is compared and output as text, so numeric and text
    ids read alike.
#}
{% macro hubspot_id(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{#
    The contact a contact id stands for now: a contact merged into another
    (contact_merge_audit.vid_to_merge) is the surviving one (canonical_vid).
    `contact_merges` is a CTE of (vid_to_merge, canonical_vid), one row per merged id.
#}
{% macro hubspot_surviving_contact(contact_id, merges='contact_merges') -%}
    coalesce({{ merges }}.canonical_vid, {{ hubspot_id(contact_id) }})
{%- endmacro %}
