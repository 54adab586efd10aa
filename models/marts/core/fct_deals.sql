{#
    One row per live deal (int_deals: staged, not soft-deleted) with its
    outcome, money and durations.  Deal-level KPIs (close_rate,
    pipeline_velocity, deal_velocity, return_on_ad_spend) read it.

    A deal is won or lost only with a valid closed_at (docs/kpis.md, "Customer"):
    a closed stage whose closed_at was nulled as invalid has no close instant,
    so its outcome stays 'open', exactly as the month-end pipeline sees it
    ("Open at the end of month M": closed_at null).
#}

with

deals as (
    select * from {{ ref('int_deals') }}
),

live_leads as (
    select * from {{ ref('int_leads') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

deals_with_leads as (
    select
        deals.deal_id,
        -- an orphan lead_id points at nothing; is_orphan_lead keeps the fact
        case when not deals.is_orphan_lead then deals.lead_id end as lead_id,
        deals.account_id,
        deals.owner_id,
        deals.deal_type,
        deals.stage,
        deals.created_at,
        deals.closed_at,
        deals.is_closed_at_invalid,
        case
            when deals.is_won then 'won'
            when deals.is_lost then 'lost'
            else 'open'
        end as outcome,
        deals.amount,
        deals.currency_code,
        deals.amount_usd,
        deals.has_live_lead,
        deals.is_orphan_lead,
        live_leads.created_at as lead_created_at,
        -- first touch of the originating lead: which channel and campaign the deal goes back to
        attribution.channel as lead_channel,
        attribution.campaign_id as lead_campaign_id,
        -- docs/kpis.md deal_velocity: from lead creation, or deal creation where no live lead
        coalesce(live_leads.created_at, deals.created_at) as velocity_start_at
    {{ crm_passthrough('deals', 'deals') }}
    from deals
    left join live_leads
        on deals.lead_id = live_leads.lead_id
    left join attribution
        on live_leads.lead_id = attribution.lead_id
),

final as (
    select
        deal_id,
        lead_id,
        account_id,
        owner_id,
        deal_type,
        stage,
        created_at,
        closed_at,
        is_closed_at_invalid,
        outcome,
        amount,
        currency_code,
        amount_usd,
        has_live_lead,
        is_orphan_lead,
        lead_created_at,
        lead_channel,
        lead_campaign_id,
        velocity_start_at,
        {{ elapsed_seconds('created_at', 'closed_at') }} / 86400.0 as cycle_days,
        {{ elapsed_seconds('velocity_start_at', 'closed_at') }} / 86400.0 as velocity_days,
        {{ month_of('created_at') }} as created_month,
        {{ month_of('closed_at') }} as closed_month
    {{ crm_passthrough('deals', none) }}
    from deals_with_leads
)

select * from final
