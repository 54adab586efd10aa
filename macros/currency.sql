{#
    Money to USD with fx_rates at the month of the event (docs/raw_contract.md,
    "Rules that hold for every table").  USD needs no rate.  A month the
    rates do not cover gives null, which the staging tests report.

    The rates are read through a derived table whose columns carry an fx_
    prefix: in a correlated subquery an unqualified argument such as
    `currency_code` would otherwise bind to the rate table's own column and
    match every currency.
#}
{% macro to_usd(amount, currency_code, event_time) -%}
    case
        when {{ currency_code }} = 'USD' then {{ amount }}
        else {{ amount }} * (
            select fx.fx_usd_per_unit
            from (
                select
                    rates.currency_code as fx_currency_code,
                    rates.rate_month as fx_rate_month,
                    rates.usd_per_unit as fx_usd_per_unit
                from {{ ref('stg_finance__fx_rates') }} as rates
            ) as fx
            where
                fx.fx_currency_code = {{ currency_code }}
                and fx.fx_rate_month = {{ dbt.date_trunc('month', event_time) }}
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
                select rates.currency_code from {{ ref('stg_finance__fx_rates') }} as rates
            )
        )
    )
{%- endmacro %}
