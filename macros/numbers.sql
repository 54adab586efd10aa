{#
    Numbers as landed (docs/raw_contract.md, "Hostile values").  A file may carry
    a column the contract types DECIMAL or BIGINT as a floating-point column,
    and with it NaN, Infinity or values no DECIMAL(18,2) holds: a plain cast
    of those stops the build.  So every numeric column of a base_ model is
    read through number_or_null, and numeric_fault names what is wrong with
    the row, before any cast, for quarantine_reason to report.
#}

{# True when a value is NaN or an infinity (false for null and for any finite value). #}
{% macro is_non_finite(expression) -%}
    {{ return(adapter.dispatch('is_non_finite', 'leadgen')(expression)) }}
{%- endmacro %}

{% macro default__is_non_finite(expression) -%}
    coalesce(
        cast({{ expression }} as {{ type_double() }}) != cast({{ expression }} as {{ type_double() }})
        or abs(cast({{ expression }} as {{ type_double() }})) > 1.7976931348623157e308,
        false
    )
{%- endmacro %}

{% macro duckdb__is_non_finite(expression) -%}
    coalesce(not isfinite(cast({{ expression }} as {{ type_double() }})), false)
{%- endmacro %}

{#- Spark holds NaN equal to itself, so the default's x != x never finds it. -#}
{% macro spark__is_non_finite(expression) -%}
    coalesce(
        isnan(cast({{ expression }} as double))
        or abs(cast({{ expression }} as double)) = cast('Infinity' as double),
        false
    )
{%- endmacro %}

{% macro postgres__is_non_finite(expression) -%}
    coalesce(
        cast({{ expression }} as double precision)
        in (cast('NaN' as double precision), cast('Infinity' as double precision), cast('-Infinity' as double precision)),
        false
    )
{%- endmacro %}

{#
    The value cast to `sql_type`, or null when it is not finite or its
    magnitude reaches `limit` (what the type holds).  Such a row is
    quarantined by numeric_fault anyway; the null only keeps the cast from
    failing first.
#}
{% macro number_or_null(expression, sql_type, limit=none) -%}
    case
        when not {{ is_non_finite(expression) }}
            {%- if limit is not none %}
            and abs(cast({{ expression }} as {{ type_double() }})) < {{ limit }}
            {%- endif %}
            then cast({{ expression }} as {{ sql_type }})
    end
{%- endmacro %}

{# Money as the contract types it; DECIMAL(18,2) holds magnitudes below 1e16. #}
{% macro money_or_null(expression) -%}
    {{ number_or_null(expression, 'decimal(18, 2)', '1e16') }}
{%- endmacro %}

{% macro count_or_null(expression) -%}
    {{ number_or_null(expression, dbt.type_bigint(), '9.2e18') }}
{%- endmacro %}

{#
    What is wrong with a row's numbers, or null: 'non_finite_value' (NaN or
    an infinity in any of them), 'implausible_amount' (a money column whose
    magnitude exceeds the var max_plausible_amount, in units of the row's
    currency: nothing that large is a real deal, invoice or day of spend,
    and staged it could overflow a KPI's sums), 'negative_count' (a count
    below zero).  Arguments are raw column expressions.
#}
{% macro numeric_fault(money=[], counts=[], numbers=[]) -%}
    case
        when
            {%- for column in money + counts + numbers %}
            {{ is_non_finite(column) }}{% if not loop.last %} or{% endif %}
            {%- endfor %}
            then 'non_finite_value'
        {%- if money %}
        when
            {%- for column in money %}
            abs(cast({{ column }} as {{ type_double() }})) > {{ number_var('max_plausible_amount') }}
            {%- if not loop.last %} or{% endif %}
            {%- endfor %}
            then 'implausible_amount'
        {%- endif %}
        {%- if counts %}
        when
            {%- for column in counts %}
            {{ column }} < 0{% if not loop.last %} or{% endif %}
            {%- endfor %}
            then 'negative_count'
        {%- endif %}
    end
{%- endmacro %}

{# The quarantine checks that report a numeric_fault column (for quarantine_reason). #}
{% macro numeric_fault_checks(column='numeric_fault') -%}
    {{ return([
        (column ~ " = 'non_finite_value'", 'non_finite_value'),
        (column ~ " = 'implausible_amount'", 'implausible_amount'),
        (column ~ " = 'negative_count'", 'negative_count'),
    ]) }}
{%- endmacro %}

{#
    The number rounded to `digits` decimals.  PostgreSQL rounds to a number
    of decimals only on numeric, not on double precision.
#}
{% macro round_decimals(expression, digits) -%}
    {{ return(adapter.dispatch('round_decimals', 'leadgen')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_decimals(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro postgres__round_decimals(expression, digits) -%}
    round(cast({{ expression }} as numeric), {{ digits }})
{%- endmacro %}
