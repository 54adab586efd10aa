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

{#
    On-run-start: the raw folder is usable as given.  On Spark the sources
    name each table's folder, parquet.`<LEADGEN_RAW_DIR>/<table>` (their
    identifier doubles any backtick, Spark's escape), and Spark reads the
    characters * ? [ ] { } and \ in a path as a glob: a folder holding them
    would read other folders, or none, so it is refused here, naming the
    variable.  Other warehouses read it elsewhere (DuckDB: external_location,
    escaped there; PostgreSQL: not at all).
#}
{% macro check_raw_dir() -%}
    {{ return(adapter.dispatch('check_raw_dir', 'leadgen')()) }}
{%- endmacro %}

{% macro default__check_raw_dir() -%}
{%- endmacro %}

{% macro spark__check_raw_dir() -%}
    {%- set raw_dir = env_var('LEADGEN_RAW_DIR', 'data/raw') -%}
    {%- set found = modules.re.findall('[*?\\[\\]{}\\\\\\x00-\\x1f]', raw_dir) -%}
    {%- if found or (raw_dir | trim) == '' -%}
        {{ exceptions.raise_compiler_error(
            "LEADGEN_RAW_DIR " ~ (raw_dir | tojson) ~ " cannot be read on Spark: "
            ~ ("it is empty" if not found else "it holds " ~ (found | unique | join(' ') | tojson)
               ~ ", which Spark reads as a pattern of paths (glob) or which no path may hold")
            ~ ". Land the raw tables in a folder without these characters (or link one to it) and point"
            ~ " LEADGEN_RAW_DIR there."
        ) }}
    {%- endif -%}
{%- endmacro %}
