with

base as (
    select * from {{ ref('base_finance__fx_rates') }}
    where row_disposition = 'staged'
),

final as (
    select
        rate_month,
        currency_code,
        usd_per_unit,
        _loaded_at
    from base
)

select * from final
