with

base as (
    select * from {{ ref('base_crm__users') }}
    where row_disposition = 'staged'
),

final as (
    select
        user_id,
        full_name,
        email_normalized,
        email_hash,
        team,
        region,
        is_active,
        is_email_malformed,
        _loaded_at
    from base
)

select * from final
