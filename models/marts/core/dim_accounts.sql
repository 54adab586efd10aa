{#
    Every account a KPI can name, with its firmographics and segment (built
    in int_accounts): live CRM accounts and the billing-only workspaces.
#}

with

accounts as (
    select * from {{ ref('int_accounts') }}
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
        is_crm_account,
        segment
    {{ crm_passthrough('accounts', none) }}
    from accounts
)

select * from final
