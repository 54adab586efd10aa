{#
    Each channel's share of the month's human sessions.  Unlike a plain
    ratio, a channel row divides by ALL sessions of the month, not by the
    channel's own, so the shares of a month add up to 1 and the overall row
    is 1.0 (null in a month without sessions).
#}

with

sessions as (
    select * from {{ ref('int_web__sessions') }}
),

units as (
    select
        sessions.session_month as period_month,
        sessions.channel
    from sessions
),

series as (
    {{ kpi_series('units', 'count', ['channel']) }}
),

month_totals as (
    select
        series.period_month,
        series.value as month_sessions
    from series
    where series.dimension = 'all'
),

final as (
    select
        series.period_month,
        series.dimension,
        series.dimension_value,
        series.value / nullif(month_totals.month_sessions, 0) as value,  -- noqa: RF04
        series.value as numerator,
        month_totals.month_sessions as denominator
    from series
    inner join month_totals
        on series.period_month = month_totals.period_month
)

select * from final
