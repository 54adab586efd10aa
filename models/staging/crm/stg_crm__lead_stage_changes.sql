with

base as (
    select * from {{ ref('base_crm__lead_stage_changes') }}
    where row_disposition = 'staged'
),

final as (
    select
        change_id,
        lead_id,
        stage,
        changed_at,
        _loaded_at
    from base
)

select * from final
