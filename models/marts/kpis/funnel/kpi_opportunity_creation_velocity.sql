{#
    Mean exact days from becoming mql to becoming opportunity, over the leads
    that became opportunity in the month (docs/kpis.md).  With the cumulative
    funnel every such lead has an mql date; one that skipped mql and sql
    became mql when its deal was created and so took 0 days.
#}

with

lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

units as (
    -- a left join: a lead without attribution still counts, under 'unknown'
    select
        lifecycle.became_opportunity_month as period_month,
        attribution.channel,
        lifecycle.days_mql_to_opportunity as measure
    from lifecycle
    left join attribution
        on lifecycle.lead_id = attribution.lead_id
    where lifecycle.became_opportunity_at is not null
),

final as (
    {{ kpi_series('units', 'mean', ['channel']) }}
)

select * from final
