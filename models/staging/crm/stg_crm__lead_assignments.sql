with

base as (
    select * from {{ ref('base_crm__lead_assignments') }}
    where row_disposition = 'staged'
),

final as (
    select
        assignment_id,
        lead_id,
        owner_id,
        assigned_at,
        assignment_rule,
        _loaded_at
    from base
)

select * from final
