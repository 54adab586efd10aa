with

base as (
    select * from {{ ref('base_crm__deal_stage_history') }}
    where row_disposition = 'staged'
),

final as (
    select
        deal_id,
        stage,
        entered_at,
        amount,
        currency_code,
        amount_usd,
        _loaded_at
    from base
)

select * from final
