{#
    Every raw table of the contract with its source and staging model.  Used
    to derive the as-of date and to account for every raw row.  A pytest
    checks this list against src/leadgen/contract.py.
#}
{% macro raw_tables() %}
    {{ return([
        {'source': 'crm', 'table': 'crm_leads', 'model': 'stg_crm__leads'},
        {'source': 'crm', 'table': 'crm_lead_stage_changes', 'model': 'stg_crm__lead_stage_changes'},
        {'source': 'crm', 'table': 'crm_accounts', 'model': 'stg_crm__accounts'},
        {'source': 'crm', 'table': 'crm_users', 'model': 'stg_crm__users'},
        {'source': 'crm', 'table': 'crm_lead_assignments', 'model': 'stg_crm__lead_assignments'},
        {'source': 'crm', 'table': 'crm_activities', 'model': 'stg_crm__activities'},
        {'source': 'crm', 'table': 'crm_deals', 'model': 'stg_crm__deals'},
        {'source': 'crm', 'table': 'crm_deal_stage_history', 'model': 'stg_crm__deal_stage_history'},
        {'source': 'marketing', 'table': 'marketing_campaigns', 'model': 'stg_marketing__campaigns'},
        {'source': 'marketing', 'table': 'ad_spend', 'model': 'stg_marketing__ad_spend'},
        {'source': 'marketing', 'table': 'marketing_expenses', 'model': 'stg_marketing__expenses'},
        {'source': 'marketing', 'table': 'social_post_metrics', 'model': 'stg_marketing__social_post_metrics'},
        {'source': 'finance', 'table': 'fx_rates', 'model': 'stg_finance__fx_rates'},
        {'source': 'web', 'table': 'web_events', 'model': 'stg_web__events'},
        {'source': 'email', 'table': 'email_events', 'model': 'stg_email__events'},
        {'source': 'email', 'table': 'newsletter_subscriptions', 'model': 'stg_email__newsletter_subscriptions'},
        {'source': 'product', 'table': 'app_users', 'model': 'stg_product__app_users'},
        {'source': 'product', 'table': 'product_events', 'model': 'stg_product__events'},
        {'source': 'product', 'table': 'referral_invites', 'model': 'stg_product__referral_invites'},
        {'source': 'billing', 'table': 'billing_subscriptions', 'model': 'stg_billing__subscriptions'},
        {'source': 'billing', 'table': 'billing_invoices', 'model': 'stg_billing__invoices'},
    ]) }}
{% endmacro %}
