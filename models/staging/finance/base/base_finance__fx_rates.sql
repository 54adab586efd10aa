{#
    fx_rates differs from the other base_ models in one rule (docs/raw_contract.md,
    "Hostile values"): a delivery whose rate is not a usable number (null,
    NaN, an infinity, zero or below, or above the var
    max_plausible_usd_per_unit) never erases a good rate.  It is ranked after
    every valid delivery of its (month, currency) and quarantined, so the
    latest valid rate stays staged and the invoices of that month keep a USD
    amount.
#}

{%- set rate_is_unusable = 'numeric_fault is not null or usd_per_unit is null or usd_per_unit <= 0'
    ~ ' or usd_per_unit > ' ~ number_var('max_plausible_usd_per_unit') %}

with

source as (
    select landed.* from {{ raw_table('finance', 'fx_rates') }} as landed
),

cleaned as (
    select
        cast(source.month as date) as rate_month,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        {{ number_or_null('source.usd_per_unit', type_double()) }} as usd_per_unit,
        {{ numeric_fault(numbers=['source.usd_per_unit']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{{ base_labels(
    source_name='finance',
    table_name='fx_rates',
    checks=event_time_checks('rate_month') + numeric_fault_checks() + [(rate_is_unusable, 'invalid_rate')],
    invalid_delivery=rate_is_unusable,
    invalid_delivery_reasons=['non_finite_value', 'invalid_rate'],
) }}
