with

base as (
    select * from {{ ref('base_product__events') }}
    where row_disposition = 'staged'
),

final as (
    select
        event_id,
        user_id,
        account_id,
        event_name,
        occurred_at,
        _loaded_at
    from base
)

select * from final
