with

base as (
    select * from {{ ref('base_crm__leads') }}
    where row_disposition = 'staged'
),

final as (
    select
        lead_id,
        created_at,
        updated_at,
        email_normalized,
        email_hash,
        first_name,
        last_name,
        job_title,
        company_name,
        company_domain,
        account_id,
        country_code,
        industry,
        employee_count,
        lead_source,
        -- docs/raw_contract.md: a null or unknown source counts as inbound
        coalesce(lead_source not in ('outbound', 'list_import'), true) as is_inbound,
        utm_source,
        utm_medium,
        utm_campaign,
        referred_by_user_id,
        owner_id,
        is_email_malformed,
        is_updated_at_invalid,
        is_deleted,
        _loaded_at
    {{ crm_passthrough('leads', none) }}
    from base
)

select * from final
