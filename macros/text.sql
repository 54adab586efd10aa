{# Text as people type it: trim every kind of white space, empty means missing. #}
{% macro clean_text(column) -%}
    nullif({{ trim_whitespace('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') }}, '')
{%- endmacro %}

{#
    The characters trimmed from text (docs/raw_contract.md: every Unicode space,
    tab and line break): the Unicode White_Space set, plus the byte order
    mark that exports leave at the start of a value.  Built with chr() so the
    compiled SQL shows which code points they are.
#}
{% macro whitespace_code_points() -%}
    {{ return([9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200,
               8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279]) }}
{%- endmacro %}

{% macro whitespace_characters() -%}
    ({% for code_point in whitespace_code_points() %}chr({{ code_point }}){% if not loop.last %} || {% endif %}{% endfor %})
{%- endmacro %}

{% macro trim_whitespace(expression) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'leadgen')(expression)) }}
{%- endmacro %}

{% macro default__trim_whitespace(expression) -%}
    trim(both {{ whitespace_characters() }} from {{ expression }})
{%- endmacro %}

{#
    DuckDB trims a set of characters about ten times slower than spaces, so
    the set is used only where needed: text that starts and ends with a
    printable ASCII character ('!' to '~') has nothing to trim, and text
    that does once spaces are trimmed needs no more.
#}
{% macro duckdb__trim_whitespace(expression) -%}
    case
        when {{ expression }}[1] between '!' and '~' and {{ expression }}[-1] between '!' and '~'
            then {{ expression }}
        when trim({{ expression }})[1] between '!' and '~' and trim({{ expression }})[-1] between '!' and '~'
            then trim({{ expression }})
        else trim({{ expression }}, {{ whitespace_characters() }})
    end
{%- endmacro %}

{% macro postgres__trim_whitespace(expression) -%}
    btrim({{ expression }}, {{ whitespace_characters() }})
{%- endmacro %}

{#
    Spark's chr() covers only code points below 256 (chr(8239) is chr(8239 %
    256), a slash), so the characters are written as \uXXXX escapes in one
    string literal, which Spark reads as those characters.
#}
{% macro spark__trim_whitespace(expression) -%}
    trim(both '{% for code_point in whitespace_code_points() %}\u{{ '%04X' | format(code_point) }}{% endfor %}' from {{ expression }})
{%- endmacro %}

{# Codes (stages, event types, outcomes, channels) compare in lower case. #}
{% macro clean_code(column) -%}
    lower({{ clean_text(column) }})
{%- endmacro %}

{# Country and currency codes are ISO upper case. #}
{% macro clean_upper_code(column) -%}
    upper({{ clean_text(column) }})
{%- endmacro %}

{#
    The rows of a small lookup seed, read while a model is compiled, so that a
    lookup becomes literals in the model's SQL; none where that cannot be done:
    outside execution, in a unit test (its fixture must be what it tests), or
    when the seed is not in the warehouse yet (sqlfluff, or `dbt compile`
    before the first `dbt seed`).  Callers then fall back to a subquery.
    Why literals: a lookup per row is a correlated subquery, for which the
    warehouse holds the whole input aside; on the large event tables that
    cost more than the rest of the model.
#}
{% macro seed_lookup_rows(seed_relation, query) -%}
    {%- if not execute or model.resource_type != 'model' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=seed_relation.database, schema=seed_relation.schema, identifier=seed_relation.identifier
    ) -%}
    {%- if existing is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(run_query(query)) }}
{%- endmacro %}

{#
    A code after cleaning, mapped through the code_variants seed so that known
    spelling variants ('webform', 'closed won') land on the canonical value.
    Runs of spaces and hyphens become '_' first, so 'Web-Form' and ' web form '
    need no seed row.  Unknown values pass through unchanged: accepted_values
    tests report them.
#}
{% macro canonical_code(code_type, column) -%}
    {%- set normalised = regex_replace(clean_code(column), "'[[:space:]-]+'", "'_'") -%}
    {%- set variants = ref('code_variants') -%}
    {%- set rows = seed_lookup_rows(
        variants,
        "select variant, canonical_value from " ~ variants ~ " where code_type = '" ~ code_type ~ "' order by variant"
    ) -%}
    {%- if rows is none -%}
        coalesce(
            (
                select code_variants.canonical_value
                from {{ variants }} as code_variants
                where
                    code_variants.code_type = '{{ code_type }}'
                    and code_variants.variant = {{ normalised }}
            ),
            {{ normalised }}
        )
    {%- elif rows | length == 0 -%}
        {{ normalised }}
    {%- else -%}
        case {{ normalised }}
        {%- for row in rows %}
            when {{ sql_string(row[0]) }} then {{ sql_string(row[1]) }}
        {%- endfor %}
            else {{ normalised }}
        end
    {%- endif -%}
{%- endmacro %}

{#
    True when a user agent contains, case-insensitively, one of the patterns
    of the bot_user_agent_patterns seed (docs/raw_contract.md); literals where
    seed_lookup_rows can read the seed, else the lookup.
#}
{% macro is_bot_user_agent(column) -%}
    {%- set patterns = ref('bot_user_agent_patterns') -%}
    {%- set rows = seed_lookup_rows(patterns, "select distinct lower(pattern) from " ~ patterns ~ " order by 1") -%}
    {%- if rows is none -%}
        coalesce(exists (
            select 1
            from {{ patterns }} as bot_patterns
            where lower({{ column }}) like {{ dbt.concat(["'%'", 'lower(bot_patterns.pattern)', "'%'"]) }}
        ), false)
    {%- else -%}
        coalesce(
        {%- for row in rows %}
            lower({{ column }}) like {{ sql_string('%' ~ row[0] ~ '%') }}{% if not loop.last %} or{% endif %}
        {%- else %}
            false
        {%- endfor %}
        , false)
    {%- endif -%}
{%- endmacro %}

{# A Python string as a SQL string literal. #}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'leadgen')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{#-
    Spark reads a backslash in a literal as an escape and two quotes as two
    adjacent literals ('a''b' is 'ab'), so both are escaped with a backslash.
-#}
{% macro spark__sql_string(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{#
    Emails match people: trimmed, lower case, and only when shaped x@y.z,
    where the domain is dot-separated labels none of which is empty (so
    'a@b..com', 'a@.b.com' and 'a@b.com.' are malformed).
#}
{% macro email_is_well_formed(column) -%}
    {{ regex_matches(
        'lower(' ~ clean_text(column) ~ ')',
        "'^[^@[:space:]]+@[^@[:space:].]+([.][^@[:space:].]+)+$'"
    ) }}
{%- endmacro %}

{% macro normalized_email(column) -%}
    case
        when {{ email_is_well_formed(column) }}
            then lower({{ clean_text(column) }})
    end
{%- endmacro %}

{# True when an email was supplied but is not usable (it is nulled, the row is kept). #}
{% macro is_email_malformed(column) -%}
    coalesce({{ clean_text(column) }} is not null and not {{ email_is_well_formed(column) }}, false)
{%- endmacro %}

{#
    A stable key for a normalised email, so people can be matched without
    the address (PII leaves staging only so): a keyed hash, SHA-256 of the
    salt (var pii_hash_salt) and the address.  Without the salt, a list of
    known addresses cannot be hashed and matched against the marts.
#}
{% macro email_hash(column) -%}
    {{ keyed_hash(normalized_email(column)) }}
{%- endmacro %}

{# Null stays null; anything else becomes the hex SHA-256 of salt, '|', value. #}
{% macro keyed_hash(expression) -%}
    case
        when {{ expression }} is not null
            then {{ adapter.dispatch('sha256_hex', 'leadgen')(
                dbt.concat([sql_string(pii_hash_salt() ~ '|'), expression])
            ) }}
    end
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{% macro duckdb__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro postgres__sha256_hex(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro bigquery__sha256_hex(expression) -%}
    to_hex(sha256({{ expression }}))
{%- endmacro %}

{#
    A stable key for whoever an address belongs to, valid or not: the hash of
    the trimmed, lower-cased text.  Email KPIs identify recipients this way
    (docs/kpis.md, "Email"), so a malformed address still counts once.
#}
{% macro address_key(column) -%}
    {{ keyed_hash('lower(' ~ clean_text(column) ~ ')') }}
{%- endmacro %}

{# ---- dispatched helpers: regular expressions and JSON differ by warehouse ---- #}

{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'leadgen')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    regexp_like({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike {{ java_regex(pattern) }})
{%- endmacro %}

{% macro bigquery__regex_matches(expression, pattern) -%}
    regexp_contains({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro regex_replace(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace', 'leadgen')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}

{% macro duckdb__regex_replace(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro postgres__regex_replace(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ java_regex(pattern) }}, {{ replacement }})
{%- endmacro %}

{#
    A pattern literal for Java's regular expressions (Spark).  The patterns
    here use the POSIX class [:space:] inside brackets, which RE2 (DuckDB)
    and PostgreSQL know; Java reads "[[:space:]]" as the characters ':', 's',
    'p', 'a', 'c', 'e', so the class becomes \p{Space}, the same six
    characters (space, tab, line feed, vertical tab, form feed, carriage
    return).  The backslash is doubled: Spark reads it as an escape in a
    string literal.
#}
{% macro java_regex(pattern) -%}
    {{ pattern | replace('[:space:]', '\\\\p{Space}') }}
{%- endmacro %}

{#
    The whole raw row as JSON text, kept with quarantined rows for inspection.
    Columns the model's source marks as personal data (meta pii) are replaced
    by their keyed hash, so no raw email or name sits in staging; the hash
    still tells two deliveries apart where it serves as their tie-break.
#}
{% macro row_as_json(relation_alias) -%}
    {%- set masked = [] -%}
    {%- for column in model_pii_columns() -%}
        {%- do masked.append((column, keyed_hash('cast(' ~ relation_alias ~ '.' ~ column ~ ' as ' ~ dbt.type_string() ~ ')'))) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('row_as_json', 'leadgen')(relation_alias, masked)) }}
{%- endmacro %}

{#
    The pii columns of the sources the current model reads (a base_ model
    reads one); a unit test node lists its model's sources too.
#}
{% macro model_pii_columns() -%}
    {%- set found = [] -%}
    {%- for source_name, table_name in (model.get('sources') or []) -%}
        {%- for column in pii_source_columns(source_name, table_name) -%}
            {%- if column not in found -%}
                {%- do found.append(column) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{% macro default__row_as_json(relation_alias, masked) -%}
    to_json({{ relation_alias }})
{%- endmacro %}

{% macro duckdb__row_as_json(relation_alias, masked) -%}
    {%- if masked -%}
        cast(to_json(struct_update({{ relation_alias }},
            {%- for column, expression in masked %}
            {{ column }} := {{ expression }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        )) as varchar)
    {%- else -%}
        cast(to_json({{ relation_alias }}) as varchar)
    {%- endif -%}
{%- endmacro %}

{#
    Spark: to_json of a struct of the row's columns; masked columns are left
    out of the star and added after it with their hash.  Null values are
    left out of the JSON (Spark's to_json drops them).
#}
{% macro spark__row_as_json(relation_alias, masked) -%}
    {%- if masked -%}
        to_json(struct(
            {{ relation_alias }}.* except ({% for column, expression in masked %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}),
            {%- for column, expression in masked %}
            {{ expression }} as {{ column }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        ))
    {%- else -%}
        to_json(struct({{ relation_alias }}.*))
    {%- endif -%}
{%- endmacro %}

{% macro postgres__row_as_json(relation_alias, masked) -%}
    {%- if masked -%}
        cast(to_jsonb({{ relation_alias }}) || jsonb_build_object(
            {%- for column, expression in masked %}
            {{ sql_string(column) }}, {{ expression }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as text)
    {%- else -%}
        cast(row_to_json({{ relation_alias }}) as text)
    {%- endif -%}
{%- endmacro %}

{#
    The custom columns of a CRM object (var crm_<object>_passthrough_columns,
    checked by passthrough_columns in macros/vars.sql) for the end of a
    select list, ", <column>" a line each, and nothing when the var is empty.
    Call it on a line of its own between the last column and the from,
    indented as the from (sqlfluff reads a line that may render empty as
    part of the clause after it), so that it renders at the columns' indent.
    mode 'raw' (the base model, relation_alias the raw table) reads the raw
    column or computes transform_sql, once, under the alias; 'carry' (every
    model after it) selects relation_alias.alias, or the bare alias when
    relation_alias is none; 'null' gives each alias a null, for rows that
    have no such object (a union's other branch).
#}
{% macro crm_passthrough(object, relation_alias, mode='carry') -%}
    {%- if mode not in ['raw', 'carry', 'null'] -%}
        {{ exceptions.raise_compiler_error("crm_passthrough: mode is 'raw', 'carry' or 'null', not '" ~ mode ~ "'") }}
    {%- endif -%}
    {%- set qualifier = relation_alias ~ '.' if relation_alias else '' -%}
    {%- set items = [] -%}
    {%- for column in passthrough_columns(object) -%}
        {%- if mode == 'null' -%}
            {%- do items.append('null as ' ~ column.alias) -%}
        {%- elif mode == 'carry' -%}
            {%- do items.append(qualifier ~ column.alias) -%}
        {%- elif column.transform_sql is not none -%}
            {%- do items.append('(' ~ column.transform_sql ~ ') as ' ~ column.alias) -%}
        {%- else -%}
            {%- do items.append(qualifier ~ column.name ~ ' as ' ~ column.alias) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(('    , ' ~ (items | join('\n        , '))) if items else '') }}
{%- endmacro %}
