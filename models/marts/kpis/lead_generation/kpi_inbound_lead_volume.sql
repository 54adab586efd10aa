with

leads as (
    select * from {{ ref('int_leads') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

units as (
    select
        leads.created_month as period_month,
        attribution.channel
    from leads
    inner join attribution
        on leads.lead_id = attribution.lead_id
    -- an unknown or missing source counts as inbound (docs/raw_contract.md), which is_inbound already does
    where leads.is_inbound
),

final as (
    {{ kpi_series('units', 'count', ['channel']) }}
)

select * from final
