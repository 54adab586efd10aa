{#
    The row accounting every base_ model follows (raw_contract.md, "Natural
    keys" and "Repair or quarantine"):

      raw rows = staged rows + quarantined rows + duplicate deliveries

    A base_ model keeps every raw row and labels it with row_disposition;
    stg_ models keep the 'staged' ones, quarantine_rows the 'quarantined' ones.
#}

{# SQL that is true when any part of the natural key is missing. #}
{% macro key_is_missing(key_columns) -%}
    ({% for column in key_columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %})
{%- endmacro %}

{#
    Rank of a delivery within its natural key: 1 is the copy that wins (the
    greatest _loaded_at; ties broken by the full raw row so reruns agree).
    `tie_break` is an expression, or a list of columns that together hold
    the whole row (cheaper than the JSON of the row on the largest tables).
#}
{% macro delivery_rank(key_columns, tie_break='raw_row') -%}
    {%- set tie_columns = [tie_break] if tie_break is string else tie_break -%}
    row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by _loaded_at desc{% for column in tie_columns %}, {{ column }} desc{% endfor %}
    )
{%- endmacro %}

{#
    Checks that quarantine a row when its defining timestamp (or date) is not
    valid: null, before min_valid_timestamp, or after the as-of day.
    `required=false` lets a null through (e.g. an invoice's paid_at when the
    invoice is not paid).
#}
{% macro event_time_checks(column, required=true) -%}
    {%- set as_timestamp = 'cast(' ~ column ~ ' as ' ~ dbt.type_timestamp() ~ ')' -%}
    {%- set checks = [] -%}
    {%- if required -%}
        {%- do checks.append((column ~ ' is null', 'null_timestamp')) -%}
    {%- endif -%}
    {%- do checks.append((as_timestamp ~ ' < ' ~ min_valid_timestamp(), 'timestamp_before_2000')) -%}
    {%- do checks.append((as_timestamp ~ ' >= ' ~ as_of_end(), 'timestamp_after_as_of')) -%}
    {{ return(checks) }}
{%- endmacro %}

{#
    The first failing check names the reason.  Order: the key, then the
    checks the model lists (its defining timestamp first).
#}
{% macro quarantine_reason(key_columns, checks) -%}
    case
        when {{ key_is_missing(key_columns) }} then 'null_key'
        {%- for condition, reason in checks %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{#
    A null-key row cannot be matched to other deliveries, so it is always
    quarantined; otherwise older deliveries are duplicates and the winning
    delivery is staged unless it fails a check.
#}
{% macro row_disposition(key_columns) -%}
    case
        when {{ key_is_missing(key_columns) }} then 'quarantined'
        when delivery_rank > 1 then 'duplicate'
        when quarantine_reason is not null then 'quarantined'
        else 'staged'
    end
{%- endmacro %}

{#
    A timestamp that is not the row's defining one is repaired, not
    quarantined: an invalid value (before min_valid_timestamp or after the
    as-of day) becomes null and is_<column>_invalid says so.
#}
{% macro valid_timestamp(column) -%}
    case
        when
            cast({{ column }} as {{ dbt.type_timestamp() }}) >= {{ min_valid_timestamp() }}
            and cast({{ column }} as {{ dbt.type_timestamp() }}) < {{ as_of_end() }}
            then cast({{ column }} as {{ dbt.type_timestamp() }})
    end
{%- endmacro %}

{% macro is_timestamp_invalid(column) -%}
    ({{ column }} is not null and {{ valid_timestamp(column) }} is null)
{%- endmacro %}

{# Natural key rendered as one string (composite parts joined with '|'). #}
{% macro natural_key_text(key_columns) -%}
    {%- if key_columns | length == 1 -%}
        cast({{ key_columns[0] }} as {{ dbt.type_string() }})
    {%- else -%}
        {%- set parts = [] -%}
        {%- for column in key_columns -%}
            {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
            {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
        {%- endfor -%}
        {{ dbt.concat(parts) }}
    {%- endif -%}
{%- endmacro %}
