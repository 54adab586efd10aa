with

lead_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

units as (
    select
        lead_scores.created_month as period_month,
        attribution.channel,
        lead_scores.total_score as measure
    from lead_scores
    left join attribution
        on lead_scores.lead_id = attribution.lead_id
),

final as (
    {{ kpi_series('units', 'mean', ['channel']) }}
)

select * from final
