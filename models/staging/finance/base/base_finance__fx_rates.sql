with

source as (
    select * from {{ source('finance', 'fx_rates') }}
),

cleaned as (
    select
        cast(source.month as date) as rate_month,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        cast(source.usd_per_unit as {{ type_double() }}) as usd_per_unit,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

checked as (
    select
        *,
        {{ delivery_rank(['rate_month', 'currency_code']) }} as delivery_rank,
        {{ quarantine_reason(['rate_month', 'currency_code'],
            event_time_checks('rate_month')
            + [('usd_per_unit is null or usd_per_unit <= 0', 'invalid_rate')]) }} as quarantine_reason
    from cleaned
),

final as (
    select
        *,
        {{ row_disposition(['rate_month', 'currency_code']) }} as row_disposition,
        {{ natural_key_text(['rate_month', 'currency_code']) }} as natural_key
    from checked
)

select * from final
