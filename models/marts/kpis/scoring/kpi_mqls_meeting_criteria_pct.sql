{#
    MQLs of the month (the month each lead became MQL under the cumulative
    funnel) that meet the qualification criteria: ICP fit and a total score
    of at least sql_score_threshold (fct_lead_scores).
#}

with

lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

lead_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

units as (
    select
        lifecycle.became_mql_month as period_month,
        attribution.channel,
        case when lead_scores.meets_qualification_criteria then 1 else 0 end as numerator,
        1 as denominator
    from lifecycle
    inner join lead_scores
        on lifecycle.lead_id = lead_scores.lead_id
    left join attribution
        on lifecycle.lead_id = attribution.lead_id
    where lifecycle.became_mql_at is not null
),

final as (
    {{ kpi_series('units', 'ratio', ['channel']) }}
)

select * from final
