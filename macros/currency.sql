{#
    Money to USD with fx_rates at the month of the event (raw_contract.md,
    "Rules that hold for every table").  USD needs no rate.  A month the
    rates do not cover gives null, which the staging tests report.
#}
{% macro to_usd(amount, currency_code, event_time) -%}
    case
        when {{ currency_code }} = 'USD' then {{ amount }}
        else {{ amount }} * (
            select fx.usd_per_unit
            from {{ ref('stg_finance__fx_rates') }} as fx
            where
                fx.currency_code = {{ currency_code }}
                and fx.rate_month = {{ dbt.date_trunc('month', event_time) }}
        )
    end
{%- endmacro %}

{# True when the currency is neither USD nor any currency fx_rates knows. #}
{% macro is_unknown_currency(currency_code) -%}
    (
        {{ currency_code }} is null
        or (
            {{ currency_code }} != 'USD'
            and {{ currency_code }} not in (
                select fx.currency_code from {{ ref('stg_finance__fx_rates') }} as fx
            )
        )
    )
{%- endmacro %}
