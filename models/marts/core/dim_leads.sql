{#
    One row per live lead, without personal data: where it came from, who
    owns it, its company's firmographics.  The lifecycle and score of a lead
    are in fct_lead_lifecycle and fct_lead_scores.
#}

with

leads as (
    select * from {{ ref('int_leads') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

visitors as (
    select * from {{ ref('int_lead_visitors') }}
),

final as (
    select
        leads.lead_id,
        leads.created_at,
        leads.created_month,
        leads.email_hash,
        leads.lead_source,
        leads.is_inbound,
        attribution.channel,
        attribution.campaign_id,
        attribution.touch_source,
        visitors.anonymous_id,
        leads.account_id,
        leads.company_domain,
        leads.country_code,
        leads.industry,
        leads.employee_count,
        leads.job_title,
        leads.referred_by_user_id,
        leads.owner_id
    {{ crm_passthrough('leads', 'leads') }}
    from leads
    inner join attribution
        on leads.lead_id = attribution.lead_id
    left join visitors
        on leads.lead_id = visitors.lead_id
)

select * from final
