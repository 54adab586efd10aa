{#
    Every raw table of the contract with its source, its staging model and
    the var that switches its system off (none: the table is always read).
    Used to derive the as-of date and to account for every raw row.  A
    pytest checks this list against src/leadgen/contract.py.
#}
{% macro raw_tables() %}
    {{ return([
        {'source': 'crm', 'table': 'crm_leads', 'model': 'stg_crm__leads', 'switch': none},
        {'source': 'crm', 'table': 'crm_lead_stage_changes', 'model': 'stg_crm__lead_stage_changes', 'switch': none},
        {'source': 'crm', 'table': 'crm_accounts', 'model': 'stg_crm__accounts', 'switch': none},
        {'source': 'crm', 'table': 'crm_users', 'model': 'stg_crm__users', 'switch': none},
        {'source': 'crm', 'table': 'crm_lead_assignments', 'model': 'stg_crm__lead_assignments', 'switch': none},
        {'source': 'crm', 'table': 'crm_activities', 'model': 'stg_crm__activities', 'switch': none},
        {'source': 'crm', 'table': 'crm_deals', 'model': 'stg_crm__deals', 'switch': none},
        {'source': 'crm', 'table': 'crm_deal_stage_history', 'model': 'stg_crm__deal_stage_history', 'switch': none},
        {'source': 'marketing', 'table': 'marketing_campaigns', 'model': 'stg_marketing__campaigns', 'switch': none},
        {'source': 'marketing', 'table': 'ad_spend', 'model': 'stg_marketing__ad_spend', 'switch': 'using_ad_spend'},
        {'source': 'marketing', 'table': 'marketing_expenses', 'model': 'stg_marketing__expenses', 'switch': 'using_expenses'},
        {'source': 'marketing', 'table': 'social_post_metrics', 'model': 'stg_marketing__social_post_metrics', 'switch': 'using_social'},
        {'source': 'finance', 'table': 'fx_rates', 'model': 'stg_finance__fx_rates', 'switch': none},
        {'source': 'web', 'table': 'web_events', 'model': 'stg_web__events', 'switch': 'using_web'},
        {'source': 'email', 'table': 'email_events', 'model': 'stg_email__events', 'switch': 'using_email'},
        {'source': 'email', 'table': 'newsletter_subscriptions', 'model': 'stg_email__newsletter_subscriptions', 'switch': 'using_email'},
        {'source': 'product', 'table': 'app_users', 'model': 'stg_product__app_users', 'switch': 'using_product'},
        {'source': 'product', 'table': 'product_events', 'model': 'stg_product__events', 'switch': 'using_product'},
        {'source': 'product', 'table': 'referral_invites', 'model': 'stg_product__referral_invites', 'switch': 'using_product'},
        {'source': 'billing', 'table': 'billing_subscriptions', 'model': 'stg_billing__subscriptions', 'switch': 'using_billing'},
        {'source': 'billing', 'table': 'billing_invoices', 'model': 'stg_billing__invoices', 'switch': 'using_billing'},
    ]) }}
{% endmacro %}

{#
    The vars that switch an optional system off (default true: every system
    is read), as raw_tables() names them.  With one false its raw tables are not read at all, so they may
    be absent; the staging models see an empty table of the contract's
    columns instead, and the KPIs that need the system are left out of
    kpi_monthly and marked unavailable in kpi_catalog (kpi_required_systems).
    The CRM with its campaigns, and the fx rates, are always read.
#}
{% macro system_switches() -%}
    {%- set found = [] -%}
    {%- for raw in raw_tables() if raw.switch is not none and raw.switch not in found -%}
        {%- do found.append(raw.switch) -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{# A switch var's value: true or false (YAML booleans, or the words true/false); anything else stops the run. #}
{% macro system_switch(name) -%}
    {%- set value = var(name, true) -%}
    {%- if value is sameas true or (value is string and (value | trim | lower) == 'true') -%}
        {{ return(true) }}
    {%- elif value is sameas false or (value is string and (value | trim | lower) == 'false') -%}
        {{ return(false) }}
    {%- endif -%}
    {{ var_error(name, value, 'true or false') }}
{%- endmacro %}

{# The optional systems switched off, by the name of their var without 'using_' (e.g. ['product', 'billing']). #}
{% macro systems_off() -%}
    {%- set off = [] -%}
    {%- for name in system_switches() -%}
        {%- if not system_switch(name) -%}
            {%- do off.append(name[6:]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(off) }}
{%- endmacro %}

{#
    Where the CRM tables come from (var crm_source): 'contract' reads the raw
    contract's tables; a vendor name reads, for each contract table its
    adapter provides, the adapter model <vendor>__<table> under
    models/adapters/<vendor>/ (the vendor's tables as its ELT connector lands
    them, mapped onto the contract).  Contract tables an adapter does not
    provide are read from the raw folder as usual.
#}
{% macro crm_sources() -%}
    {{ return({
        'contract': [],
        'hubspot': hubspot_contract_tables(),
        'salesforce': salesforce_contract_tables(),
    }) }}
{%- endmacro %}

{% macro crm_source() -%}
    {%- set value = var('crm_source', env_var('LEADGEN_CRM_SOURCE', 'contract')) -%}
    {%- if value is not string or value not in crm_sources() -%}
        {{ var_error('crm_source', value, 'one of ' ~ (crm_sources().keys() | list | join(', '))) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#
    The relation a staging model reads for a raw table of the contract: the
    vendor adapter's model when var crm_source provides it, an empty table of
    the contract's columns when the table's system is switched off, the
    source otherwise.  Write `from {{ raw_table(...) }} as <alias>`: the
    empty table is a subquery, which PostgreSQL wants named.

    A unit test always reads its source fixture: it tests the model's logic,
    whatever the switches of the run.
#}
{% macro raw_table(source_name, table_name) -%}
    {%- set entry = raw_table_entry(table_name) -%}
    {%- if entry.source != source_name -%}
        {{ exceptions.raise_compiler_error(
            "raw_table: '" ~ table_name ~ "' belongs to source '" ~ entry.source ~ "', not '" ~ source_name ~ "'"
        ) }}
    {%- endif -%}
    {%- set landed = source(source_name, table_name) -%}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{ return(landed) }}
    {%- endif -%}
    {%- set vendor = crm_source() -%}
    {%- if table_name in crm_sources()[vendor] -%}
        {{ return(ref(vendor ~ '__' ~ table_name)) }}
    {%- endif -%}
    {%- if entry.switch is not none and not system_switch(entry.switch) -%}
        {{ return(empty_raw_table(source_name, table_name)) }}
    {%- endif -%}
    {{ return(landed) }}
{%- endmacro %}

{% macro raw_table_entry(table_name) -%}
    {%- for raw in raw_tables() if raw.table == table_name -%}
        {{ return(raw) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("raw_table: '" ~ table_name ~ "' is not a raw table of the contract") }}
{%- endmacro %}

{#
    No rows, with every column of the source table under its contract type
    (the sources YAML data_type, checked against the contract by a pytest).
#}
{% macro empty_raw_table(source_name, table_name) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values()
            if node.source_name == source_name and node.name == table_name -%}
            {%- for column in node.columns.values() -%}
                {%- do columns.append(
                    'cast(null as ' ~ raw_sql_type(column.data_type) ~ ') as ' ~ adapter.quote(column.name)
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not columns -%}
        {%- do columns.append('cast(null as ' ~ dbt.type_timestamp() ~ ') as _loaded_at') -%}
    {%- endif -%}
    {{ return('(select ' ~ (columns | join(', ')) ~ ' where 1 = 0)') }}
{%- endmacro %}

{# A contract type (sources YAML data_type) in the warehouse's own words. #}
{% macro raw_sql_type(contract_type) -%}
    {%- set name = (contract_type or 'varchar') | lower -%}
    {%- set types = {
        'varchar': dbt.type_string(),
        'timestamp': dbt.type_timestamp(),
        'date': 'date',
        'boolean': dbt.type_boolean(),
        'integer': dbt.type_int(),
        'bigint': dbt.type_bigint(),
        'double': type_double(),
    } -%}
    {{ return(types.get(name, name)) }}
{%- endmacro %}

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
