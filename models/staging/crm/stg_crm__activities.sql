with

base as (
    select * from {{ ref('base_crm__activities') }}
    where row_disposition = 'staged'
),

final as (
    select
        activity_id,
        lead_id,
        deal_id,
        owner_id,
        activity_type,
        direction,
        occurred_at,
        outcome,
        _loaded_at
    {{ crm_passthrough('activities', none) }}
    from base
)

select * from final
