{#
    Cohort rate (kpis.md, "Cohort rates"): each live lead sits in the month it
    was created and counts once it reached sql or any later stage, at any time
    up to the as-of date.  The funnel is cumulative, so a lead that went
    straight to a deal counts as having passed sql (fct_lead_lifecycle).
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
        lifecycle.created_month as period_month,
        attribution.channel,
        case when lifecycle.became_sql_at is not null then 1 else 0 end as numerator,
        1 as denominator
    from lifecycle
    left join attribution
        on lifecycle.lead_id = attribution.lead_id
),

series as (
    {{ kpi_series('units', 'ratio', ['channel']) }}
),

final as (
    select
        period_month,
        dimension,
        dimension_value,
        value,
        numerator,
        denominator,
        {{ kpi_is_mature('period_month') }} as is_mature
    from series
)

select * from final
