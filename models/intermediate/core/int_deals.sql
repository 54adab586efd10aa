{#
    The deals that count: staged and not soft-deleted.  A deal keeps counting
    in deal-level KPIs when its lead was soft-deleted or never existed
    (docs/raw_contract.md); lead-based KPIs use it only when its lead is live
    (has_live_lead).
#}

with

deals as (
    select * from {{ ref('stg_crm__deals') }}
    where not is_deleted
),

live_leads as (
    select lead_id from {{ ref('int_leads') }}
),

known_leads as (
    -- every staged lead, deleted or not: a lead_id outside this set points at nothing
    select lead_id from {{ ref('stg_crm__leads') }}
),

final as (
    select
        deals.deal_id,
        deals.lead_id,
        deals.account_id,
        deals.owner_id,
        deals.deal_type,
        deals.created_at,
        deals.stage,
        deals.amount,
        deals.currency_code,
        deals.amount_usd,
        deals.expected_close_date,
        deals.closed_at,
        deals.is_closed_at_invalid,
        deals.stage in ('closed_won', 'closed_lost') as is_closed,
        deals.stage = 'closed_won' and deals.closed_at is not null as is_won,
        deals.stage = 'closed_lost' and deals.closed_at is not null as is_lost,
        coalesce(deals.lead_id in (select live_leads.lead_id from live_leads), false) as has_live_lead,
        coalesce(
            deals.lead_id is not null
            and deals.lead_id not in (select known_leads.lead_id from known_leads),
            false
        ) as is_orphan_lead
    {{ crm_passthrough('deals', 'deals') }}
    from deals
)

select * from final
