with

base as (
    select * from {{ ref('base_crm__accounts') }}
    where row_disposition = 'staged'
),

final as (
    select
        account_id,
        account_name,
        account_domain,
        industry,
        employee_count,
        country_code,
        created_at,
        is_deleted,
        _loaded_at
    {{ crm_passthrough('accounts', none) }}
    from base
)

select * from final
