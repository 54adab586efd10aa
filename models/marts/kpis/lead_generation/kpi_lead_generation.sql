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
        attribution.channel,
        leads.lead_source
    from leads
    inner join attribution
        on leads.lead_id = attribution.lead_id
),

final as (
    {{ kpi_series('units', 'count', ['channel', 'lead_source']) }}
)

select * from final
