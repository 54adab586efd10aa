{#
    Vars reach SQL only through these macros, each of which checks the value's
    type and bounds and stops the build with a message naming the var.  A var
    given on the command line (--vars) is a user's text: pasted into SQL
    unchecked it could end a string literal and run statements of its own.

    check_vars() runs as the on-run-start hook (dbt_project.yml), so a bad
    value stops `dbt build` before any model runs; the macros below check
    again where a model uses a var, which covers `dbt compile` and `dbt show`.
#}

{# The number vars: (name, integer only, lowest allowed, highest allowed). #}
{% macro number_var_rules() -%}
    {{ return({
        'session_timeout_minutes': (true, 1, 1440),
        'sessions_lookback_hours': (true, 0, 8760),
        'contact_sla_minutes': (false, 0, none),
        'engagement_window_hours': (true, 0, 8760),
        'pql_window_days': (true, 0, 3660),
        'pqa_min_pql_users': (true, 1, none),
        'lead_score_engagement_days': (true, 0, 3660),
        'sql_score_threshold': (false, 0, 100),
        'cohort_maturity_days': (true, 0, 36600),
        'segment_mid_market_min_employees': (true, 0, none),
        'segment_enterprise_min_employees': (true, 0, none),
        'gross_margin': (false, 0, 1),
        'min_churn_rate': (false, 0.000001, 1),
        'kpi_top_page_paths': (true, 1, 100000),
        'max_plausible_amount': (false, 0.01, 9999999999999999),
        'max_plausible_usd_per_unit': (false, 0.000001, 1000000),
        'attribution_lookback_days': (true, 0, 3660),
        'attribution_half_life_days': (false, 0.001, 3660),
        'attribution_position_end_share': (false, 0, 0.5),
    }) }}
{%- endmacro %}

{% macro var_error(name, value, expected) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid value for var '" ~ name ~ "': " ~ (value | string)[:80] ~ " (expected " ~ expected ~ ")."
        ~ " Fix it in dbt_project.yml or in --vars."
    ) }}
{%- endmacro %}

{#
    A number var as SQL text: an int or float from YAML, or a string that is
    only a number, within its bounds.  Booleans are not numbers here.
#}
{% macro number_var(name) -%}
    {%- set rule = number_var_rules()[name] -%}
    {%- set integer_only, lowest, highest = rule[0], rule[1], rule[2] -%}
    {%- set value = var(name) -%}
    {%- set expected = ('a whole number' if integer_only else 'a number')
        ~ ' from ' ~ lowest ~ (' to ' ~ highest if highest is not none else ' up') -%}
    {%- if value is sameas true or value is sameas false or value is none -%}
        {{ var_error(name, value, expected) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set pattern = '^-?[0-9]+$' if integer_only else '^-?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?$' -%}
    {%- if not modules.re.match(pattern, text) -%}
        {{ var_error(name, value, expected) }}
    {%- endif -%}
    {%- set number = text | float -%}
    {%- if number < lowest or (highest is not none and number > highest) -%}
        {{ var_error(name, value, expected) }}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}

{#
    A date var ('YYYY-MM-DD', a real calendar day), returned as that text, or
    none when the var is unset and `required` is false.
#}
{% macro date_var(name, required=false) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value | string | trim) == '' -%}
        {%- if required -%}
            {{ var_error(name, value, 'a date YYYY-MM-DD') }}
        {%- endif -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set match = modules.re.match('^([0-9]{4})-([0-9]{2})-([0-9]{2})$', text) -%}
    {%- if not match -%}
        {{ var_error(name, value, 'a date YYYY-MM-DD') }}
    {%- endif -%}
    {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
    {%- if year < 1900 or month < 1 or month > 12 or day < 1 -%}
        {{ var_error(name, value, 'a date YYYY-MM-DD') }}
    {%- endif -%}
    {%- set next_month = modules.datetime.date(year + (month // 12), month % 12 + 1, 1) -%}
    {%- if day > (next_month - modules.datetime.timedelta(days=1)).day -%}
        {{ var_error(name, value, 'a date YYYY-MM-DD') }}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}

{# An identifier var (a schema name): letters, digits and '_', not starting with a digit. #}
{% macro is_identifier(text) -%}
    {{ return(modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', text | string) is not none) }}
{%- endmacro %}

{% macro identifier_var(name, default=none) -%}
    {%- set value = var(name, default) -%}
    {%- if value is none or not is_identifier(value) -%}
        {{ var_error(name, value, 'an identifier: letters, digits and _') }}
    {%- endif -%}
    {{ return(value | string) }}
{%- endmacro %}

{#
    The raw crm_leads columns a deployment carries into the lead models
    (var crm_leads_passthrough_columns).  Each must be an identifier, and
    none may be a column the sources mark as personal data (meta pii), since
    these columns travel to dim_leads.
#}
{% macro passthrough_columns() -%}
    {%- set name = 'crm_leads_passthrough_columns' -%}
    {%- set value = var(name, []) -%}
    {%- if value is string or value is mapping or value is not iterable -%}
        {{ var_error(name, value, 'a list of column names, e.g. [lead_status]') }}
    {%- endif -%}
    {%- set pii = pii_source_columns('crm', 'crm_leads') -%}
    {%- set columns = [] -%}
    {%- for column in value -%}
        {%- if not is_identifier(column) -%}
            {{ var_error(name, column, 'a column name: letters, digits and _') }}
        {%- endif -%}
        {%- if (column | lower) in pii -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' lists '" ~ column ~ "', which the crm source marks as personal data (meta pii):"
                ~ " passthrough columns reach dim_leads, so they must be free of personal data."
                ~ " Remove it from the list; dim_leads already carries email_hash to match people."
            ) }}
        {%- endif -%}
        {%- do columns.append(column | lower) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#
    Lower-case names of a source table's columns whose meta says pii: true.
    (A unit test's graph holds no sources: there the list is empty.)
#}
{% macro pii_source_columns(source_name, table_name) -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- for node in (graph.get('sources') or {}).values() -%}
            {%- if node.source_name == source_name and node.name == table_name -%}
                {%- for column_name, column in node.columns.items() -%}
                    {%- set meta = column.meta or {} -%}
                    {%- set config_meta = (column.config or {}).get('meta', {}) if column.config is mapping else {} -%}
                    {%- if meta.get('pii') or config_meta.get('pii') -%}
                        {%- do found.append(column_name | lower) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#
    The salt of the keyed hash that stands for an email outside staging.  Any
    non-empty text; it reaches SQL only as a quoted literal.  Set your own
    secret with LEADGEN_PII_SALT: with the public default, anybody holding a
    list of addresses can recompute the hashes.
#}
{% macro pii_hash_salt() -%}
    {%- set value = var('pii_hash_salt', none) -%}
    {%- if value is none or (value | string) == '' or value is mapping or (value is iterable and value is not string) -%}
        {{ var_error('pii_hash_salt', value, 'a non-empty text') }}
    {%- endif -%}
    {{ return(value | string) }}
{%- endmacro %}

{#
    The on-run-start hook: every var checked before any model runs.  Renders
    no SQL (an empty hook is skipped).
#}
{% macro check_vars() -%}
    {%- for name in number_var_rules() -%}
        {%- do number_var(name) -%}
    {%- endfor -%}
    {%- do date_var('as_of_date') -%}
    {%- do date_var('min_valid_timestamp', required=true) -%}
    {%- do identifier_var('raw_schema', 'raw') -%}
    {%- do passthrough_columns() -%}
    {%- do pii_hash_salt() -%}
    {%- do systems_off() -%}
    {%- do crm_source() -%}
    {%- if (number_var('segment_mid_market_min_employees') | int) > (number_var('segment_enterprise_min_employees') | int) -%}
        {{ exceptions.raise_compiler_error(
            "var 'segment_mid_market_min_employees' must not exceed var 'segment_enterprise_min_employees'."
        ) }}
    {%- endif -%}
{%- endmacro %}
