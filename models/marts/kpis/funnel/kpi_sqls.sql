{#
    Leads counted in the month they became sql (docs/kpis.md, "Which month").  The
    funnel is cumulative (fct_lead_lifecycle): a lead whose deal was created
    without a logged sql step became sql at the deal's creation, and a lead
    that entered sql twice counts once, at its first entry.
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
        lifecycle.became_sql_month as period_month,
        attribution.channel
    from lifecycle
    left join attribution
        on lifecycle.lead_id = attribution.lead_id
    where lifecycle.became_sql_at is not null
),

final as (
    {{ kpi_series('units', 'count', ['channel']) }}
)

select * from final
