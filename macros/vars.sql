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
    Custom columns (a CRM's custom fields) that a deployment carries from a
    raw CRM table to its mart, one var per object:
    crm_<object>_passthrough_columns.  The models each object's columns pass
    through, in order; the first reads the raw table.  No mart holds
    activities one row each, so theirs stop at int_activities.
#}
{% macro crm_passthrough_models() -%}
    {{ return({
        'leads': ['base_crm__leads', 'stg_crm__leads', 'int_leads', 'dim_leads'],
        'accounts': ['base_crm__accounts', 'stg_crm__accounts', 'int_accounts', 'dim_accounts'],
        'deals': ['base_crm__deals', 'stg_crm__deals', 'int_deals', 'fct_deals'],
        'activities': ['base_crm__activities', 'stg_crm__activities', 'int_activities'],
    }) }}
{%- endmacro %}

{#
    The checked entries of crm_<object>_passthrough_columns, as mappings
    {name, alias, transform_sql}: name is the raw column, alias the column
    the models publish (name when not given), transform_sql an expression
    the base model computes the alias with (none: the raw column as landed).
    An entry is a column name or such a mapping.  Names and aliases must be
    identifiers; an alias may not be a column one of the object's models
    already has, nor repeat another entry's; a column the crm source marks
    as personal data (meta pii) is refused, by name or inside transform_sql,
    since these columns reach a mart.  transform_sql is a user's SQL, so it
    must be one expression over the raw row: no ';', no comment, balanced
    quotes and parentheses, no subquery (which could read another table).
#}
{% macro passthrough_columns(object) -%}
    {%- set models = crm_passthrough_models() -%}
    {%- if object not in models -%}
        {{ exceptions.raise_compiler_error(
            "passthrough_columns: '" ~ object ~ "' is not one of " ~ (models.keys() | list | join(', '))
        ) }}
    {%- endif -%}
    {%- set name = 'crm_' ~ object ~ '_passthrough_columns' -%}
    {%- set last_model = models[object][-1] -%}
    {%- set value = var(name, []) -%}
    {%- if value is string or value is mapping or value is not iterable -%}
        {{ var_error(name, value, 'a list of column names or {name, alias, transform_sql} mappings, e.g. [region]') }}
    {%- endif -%}
    {%- set pii = pii_source_columns('crm', 'crm_' ~ object) -%}
    {%- set taken = model_columns(models[object]) -%}
    {%- set columns = [] -%}
    {%- set aliases = [] -%}
    {%- for item in value -%}
        {%- if item is not string and item is not mapping -%}
            {{ var_error(name, item, 'a column name or a mapping {name, alias, transform_sql}') }}
        {%- endif -%}
        {%- set entry = {'name': item} if item is string else item -%}
        {%- set unknown = entry.keys() | reject('in', ['name', 'alias', 'transform_sql']) | list -%}
        {%- if unknown -%}
            {{ var_error(name, entry, 'only the keys name, alias and transform_sql, not ' ~ (unknown | join(', '))) }}
        {%- endif -%}
        {%- set column = entry.get('name') -%}
        {%- set alias = entry.get('alias') if entry.get('alias') is not none else column -%}
        {%- set transform_sql = entry.get('transform_sql') -%}
        {%- for text in [column, alias] if text is not string or not is_identifier(text) -%}
            {{ var_error(name, text, 'a column name and alias: letters, digits and _, not starting with a digit') }}
        {%- endfor -%}
        {%- if transform_sql is not none -%}
            {%- set transform_sql = passthrough_expression(name, transform_sql) -%}
        {%- endif -%}
        {%- set read = [column | lower] + (sql_words(transform_sql) if transform_sql is not none else []) -%}
        {%- for word in read if word in pii -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' reads '" ~ word ~ "', which the crm source marks as personal data (meta pii):"
                ~ " passthrough columns reach " ~ last_model ~ ", so they must be free of personal data."
                ~ " Remove it from the var"
                ~ ("; dim_leads already carries email_hash to match people." if object == 'leads' else ".")
            ) }}
        {%- endfor -%}
        {%- if (alias | lower) in taken -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' would add a column '" ~ (alias | lower) ~ "', which "
                ~ taken[alias | lower] ~ " already has. Give the entry an alias of its own:"
                ~ " {name: " ~ column ~ ", alias: <new name>}."
            ) }}
        {%- endif -%}
        {%- if (alias | lower) in aliases -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' lists the column '" ~ (alias | lower) ~ "' twice. Give one an alias of its own."
            ) }}
        {%- endif -%}
        {%- do aliases.append(alias | lower) -%}
        {%- do columns.append({'name': column | lower, 'alias': alias | lower, 'transform_sql': transform_sql}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#
    An incremental base_ model keeps the columns it was built with, and its
    run unions the held rows with the new ones by position: a passthrough
    var changed since (a column added, dropped or moved) would stop the run
    on a column count or, worse, put values under the wrong column.  So the
    custom columns held (those the model does not document) must be the
    var's aliases, in order; otherwise the run stops asking for a full
    refresh.  Called by the incremental base_ model.
#}
{% macro check_passthrough_held(object) -%}
    {%- if execute and is_incremental() -%}
        {%- set name = 'crm_' ~ object ~ '_passthrough_columns' -%}
        {%- set documented = model_columns([model.name]) -%}
        {%- set held = [] -%}
        {%- for column in adapter.get_columns_in_relation(this) if (column.name | lower) not in documented -%}
            {%- do held.append(column.name | lower) -%}
        {%- endfor -%}
        {%- set wanted = passthrough_columns(object) | map(attribute='alias') | list -%}
        {%- if held != wanted -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' gives the custom columns [" ~ (wanted | join(', ')) ~ "], but "
                ~ model.name ~ " is incremental and holds [" ~ (held | join(', ')) ~ "]. Rebuild it and"
                ~ " the models after it: dbt build --full-refresh --select " ~ model.name ~ "+"
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#
    A passthrough entry's transform_sql, checked to be one SQL expression:
    no ';' and no comment marker anywhere (even in a string literal), single
    and double quotes and backticks in pairs, parentheses balanced outside
    them, and no subquery.  It is SQL by nature, so nothing here makes it
    safe to run: the checks keep it an expression of the row it is computed
    from, so that it cannot end the statement or read another table.
#}
{% macro passthrough_expression(name, transform_sql) -%}
    {%- set expected = 'transform_sql: one SQL expression over the raw row' -%}
    {%- if transform_sql is not string or (transform_sql | trim) == '' -%}
        {{ var_error(name, transform_sql, expected ~ ', as text') }}
    {%- endif -%}
    {%- for marker in [';', '--', '/*', '*/'] if marker in transform_sql -%}
        {{ var_error(name, transform_sql, expected ~ "; no '" ~ marker ~ "'") }}
    {%- endfor -%}
    {%- set re = modules.re -%}
    {#- quoted text removed: string literals ('' is a quote inside one), then quoted identifiers -#}
    {%- set bare = re.sub("'([^']|'')*'", ' ', transform_sql) -%}
    {%- set bare = re.sub('"[^"]*"|`[^`]*`', ' ', bare) -%}
    {%- if "'" in bare or '"' in bare or '`' in bare -%}
        {{ var_error(name, transform_sql, expected ~ '; quotes in pairs') }}
    {%- endif -%}
    {%- set depth = namespace(value=0, broken=false) -%}
    {%- for character in bare if character in '()' -%}
        {%- set depth.value = depth.value + (1 if character == '(' else -1) -%}
        {%- if depth.value < 0 -%}
            {%- set depth.broken = true -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if depth.broken or depth.value != 0 -%}
        {{ var_error(name, transform_sql, expected ~ '; balanced parentheses') }}
    {%- endif -%}
    {%- if 'select' in sql_words(transform_sql) -%}
        {{ var_error(name, transform_sql, expected ~ '; no subquery') }}
    {%- endif -%}
    {{ return(transform_sql | trim) }}
{%- endmacro %}

{#
    The lower-case words of a SQL expression outside its string literals,
    quoted identifiers included: the columns (and keywords) it names.
#}
{% macro sql_words(expression) -%}
    {%- set bare = modules.re.sub("'([^']|'')*'", ' ', expression) -%}
    {{ return(modules.re.findall('[a-z_][a-z0-9_$]*', bare | lower)) }}
{%- endmacro %}

{#
    The columns the given models document (every column a model has is
    documented: tests/python/test_docs.py), lower case, each mapped to the
    first model that has it.  Empty while parsing and in a unit test, whose
    graph holds no models.
#}
{% macro model_columns(model_names) -%}
    {%- set found = {} -%}
    {%- if execute -%}
        {%- for model_name in model_names -%}
            {%- for node in (graph.get('nodes') or {}).values()
                if node.resource_type == 'model' and node.name == model_name -%}
                {%- for column_name in node.columns if (column_name | lower) not in found -%}
                    {%- do found.update({column_name | lower: model_name}) -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
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
    {%- for object in crm_passthrough_models() -%}
        {%- do passthrough_columns(object) -%}
    {%- endfor -%}
    {%- do pii_hash_salt() -%}
    {%- do systems_off() -%}
    {%- do crm_source() -%}
    {%- if (number_var('segment_mid_market_min_employees') | int) > (number_var('segment_enterprise_min_employees') | int) -%}
        {{ exceptions.raise_compiler_error(
            "var 'segment_mid_market_min_employees' must not exceed var 'segment_enterprise_min_employees'."
        ) }}
    {%- endif -%}
{%- endmacro %}
