{#
    The row accounting every base_ model follows (docs/raw_contract.md, "Natural
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
    A delivery with a load fault (load_checks) takes no part: it ranks after
    every sound one, so it never hides a copy that was landed properly.
    `invalid_delivery` widens that to a model's own condition (fx_rates: a
    rate that is not a positive finite number never erases a good one).
#}
{% macro delivery_rank(key_columns, tie_break='raw_row', invalid_delivery=none) -%}
    {%- set tie_columns = [tie_break] if tie_break is string else tie_break -%}
    {%- set faults = [] -%}
    {%- for condition, reason in load_checks() -%}
        {%- do faults.append(condition) -%}
    {%- endfor -%}
    {%- if invalid_delivery is not none -%}
        {%- do faults.append('(' ~ invalid_delivery ~ ')') -%}
    {%- endif -%}
    row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by
            case when {{ faults | join(' or ') }} then 1 else 0 end,
            _loaded_at desc{% for column in tie_columns %}, {{ column }} desc{% endfor %}
    )
{%- endmacro %}

{#
    The instant after which a _loaded_at is in the future, as a SQL literal:
    the build's start (dbt's run_started_at, UTC), or the end of an explicit
    as_of_date when that comes first.  A row cannot be extracted before it
    happened, so such a row is a clock fault; left in, it would move the
    as-of day (and every month spine) years ahead.
#}
{% macro load_cutoff() -%}
    {%- set now = run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    {%- set as_of = date_var('as_of_date') -%}
    {%- if as_of is not none -%}
        {%- set as_of_end = (modules.datetime.datetime.strptime(as_of, '%Y-%m-%d')
            + modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d %H:%M:%S') -%}
        {#- a load at the very first instant after the as-of day is already after it -#}
        {%- if as_of_end <= now -%}
            {{ return({'literal': "cast('" ~ as_of_end ~ "' as " ~ dbt.type_timestamp() ~ ")", 'inclusive': true}) }}
        {%- endif -%}
    {%- endif -%}
    {{ return({'literal': "cast('" ~ now ~ "' as " ~ dbt.type_timestamp() ~ ")", 'inclusive': false}) }}
{%- endmacro %}

{#
    Checks of the delivery itself (docs/raw_contract.md, "Hostile values"), which
    every base_ model applies after the key: a row without _loaded_at, or
    loaded after load_cutoff(), is quarantined and takes no part in the
    delivery rank, the as-of day or an incremental watermark.
#}
{% macro load_checks(loaded_at='_loaded_at') -%}
    {%- set cutoff = load_cutoff() -%}
    {%- set loaded = 'cast(' ~ loaded_at ~ ' as ' ~ dbt.type_timestamp() ~ ')' -%}
    {{ return([
        (loaded_at ~ ' is null', 'null_loaded_at'),
        (loaded ~ (' >= ' if cutoff.inclusive else ' > ') ~ cutoff.literal, 'loaded_in_future'),
    ]) }}
{%- endmacro %}

{# The reasons of load_checks: such a row is quarantined whatever its rank. #}
{% macro load_fault_reasons() -%}
    {{ return(['null_loaded_at', 'loaded_in_future']) }}
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
    The first failing check names the reason.  Order: the key, the delivery
    (load_checks), then the checks the model lists (its defining timestamp
    first).
#}
{% macro quarantine_reason(key_columns, checks, loaded_at='_loaded_at') -%}
    case
        when {{ key_is_missing(key_columns) }} then 'null_key'
        {%- for condition, reason in load_checks(loaded_at) + checks %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{#
    A null-key row cannot be matched to other deliveries, so it is always
    quarantined; so is a faulty delivery (load_checks, and the model's
    `invalid_delivery_reasons`), which delivery_rank put after the sound
    ones.  Otherwise older deliveries are duplicates and the winning
    delivery is staged unless it fails a check.
#}
{% macro row_disposition(key_columns, invalid_delivery_reasons=[]) -%}
    case
        when {{ key_is_missing(key_columns) }} then 'quarantined'
        when quarantine_reason in ('{{ (load_fault_reasons() + invalid_delivery_reasons) | join("', '") }}')
            then 'quarantined'
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
