{#
    Cohort rate by SQL month (kpis.md): each live lead that became sql sits in
    the month it did, and counts once a deal was created for it (or it was
    won), at any time up to the as-of date.  With the cumulative funnel a lead
    whose deal came without a logged sql step became sql at the deal's
    creation, so it is an SQL of that month and converted at once.
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
        attribution.channel,
        case when lifecycle.became_opportunity_at is not null then 1 else 0 end as numerator,
        1 as denominator
    from lifecycle
    left join attribution
        on lifecycle.lead_id = attribution.lead_id
    where lifecycle.became_sql_at is not null
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
