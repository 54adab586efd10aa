with

base as (
    select * from {{ ref('base_marketing__expenses') }}
    where row_disposition = 'staged'
),

final as (
    select
        expense_month,
        category,
        amount,
        currency_code,
        amount_usd,
        _loaded_at
    from base
)

select * from final
