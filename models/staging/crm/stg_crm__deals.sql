with

base as (
    select * from {{ ref('base_crm__deals') }}
    where row_disposition = 'staged'
),

final as (
    select
        deal_id,
        lead_id,
        account_id,
        owner_id,
        deal_name,
        deal_type,
        created_at,
        stage,
        amount,
        currency_code,
        amount_usd,
        expected_close_date,
        closed_at,
        is_closed_at_invalid,
        is_deleted,
        _loaded_at
    {{ crm_passthrough('deals', none) }}
    from base
)

select * from final
