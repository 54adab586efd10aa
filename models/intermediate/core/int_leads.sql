{#
    The leads that count: staged (so not quarantined), not soft-deleted and
    not internal test records.  Every lead-based model starts here so the
    exclusions live in one place.
#}

with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

internal_domains as (
    select domain from {{ ref('internal_email_domains') }}
),

final as (
    select
        leads.lead_id,
        leads.created_at,
        {{ month_of('leads.created_at') }} as created_month,
        leads.email_hash,
        leads.email_normalized,
        leads.job_title,
        leads.company_domain,
        leads.account_id,
        leads.country_code,
        leads.industry,
        leads.employee_count,
        leads.lead_source,
        leads.is_inbound,
        leads.utm_source,
        leads.utm_medium,
        leads.utm_campaign,
        leads.referred_by_user_id,
        leads.owner_id
    {{ crm_passthrough('leads', 'leads') }}
    from leads
    where
        not leads.is_deleted
        and not exists (
            select 1
            from internal_domains
            where leads.email_normalized like '%@' || internal_domains.domain
        )
)

select * from final
