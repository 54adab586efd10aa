{#
    Cohort rate (kpis.md, "Cohort rates"): each referred live lead sits in the
    month it was created and counts once it reached mql or any later stage,
    at any time up to the as-of date.  The funnel is cumulative, so a referred
    lead that skipped mql still counts (fct_lead_lifecycle).
#}

with

lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

leads as (
    select * from {{ ref('int_leads') }}
),

units as (
    select
        lifecycle.created_month as period_month,
        case when lifecycle.became_mql_at is not null then 1 else 0 end as numerator,
        1 as denominator
    from lifecycle
    inner join leads
        on lifecycle.lead_id = leads.lead_id
    -- a referred lead is one whose canonical source is referral (kpis.md)
    where leads.lead_source = 'referral'
),

series as (
    {{ kpi_series('units', 'ratio') }}
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
