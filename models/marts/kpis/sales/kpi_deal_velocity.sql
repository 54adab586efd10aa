{#
    Mean exact days from the start of a won deal's journey to its close, over
    the deals won in the month (docs/kpis.md).  The journey starts at the creation
    of the deal's live lead, or at the deal's own creation when it has none
    (fct_deals.velocity_start_at), so deals from deleted or unknown leads
    still count.
#}

with

deals as (
    select * from {{ ref('fct_deals') }}
),

units as (
    select
        deals.closed_month as period_month,
        deals.deal_type,
        deals.velocity_days as measure
    from deals
    where deals.outcome = 'won'
),

final as (
    {{ kpi_series('units', 'mean', ['deal_type']) }}
)

select * from final
