{#
    Trials by the month they started; a trial converted when its
    subscription has a paid start (docs/kpis.md, "Precise readings"), whenever
    that came.
#}

with

subscriptions as (
    select * from {{ ref('int_subscriptions') }}
),

units as (
    select
        {{ month_of('trial_started_at') }} as period_month,
        plan,
        case when paid_started_at is not null then 1 else 0 end as numerator,
        1 as denominator
    from subscriptions
    where trial_started_at is not null
),

final as (
    {{ kpi_cohort_series('units', ['plan']) }}
)

select * from final
