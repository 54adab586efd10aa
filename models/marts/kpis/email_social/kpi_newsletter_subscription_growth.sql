{#
    Net new newsletter subscribers per month (docs/kpis.md, "Precise readings"):
    each address is subscribed or not; a subscribe while not subscribed adds
    one, an unsubscribe while subscribed removes one, and repeats change
    nothing.  An unsubscribe is credited to the source of the subscription
    it ends.  The growth rate divides the net gain by the subscribers at the
    start of the month.
#}

with

subscription_events as (
    select * from {{ ref('stg_email__newsletter_subscriptions') }}
    where subscriber_key is not null
),

ordered_events as (
    select
        subscriber_key,
        event_id,
        event_type,
        subscription_source as source,  -- noqa: RF04
        occurred_at,
        lag(event_type) over (partition by subscriber_key order by occurred_at, event_id) as previous_event_type
    from subscription_events
),

deltas as (
    select
        *,
        case
            when event_type = 'subscribed' and coalesce(previous_event_type, 'unsubscribed') = 'unsubscribed' then 1
            when event_type = 'unsubscribed' and previous_event_type = 'subscribed' then -1
            else 0
        end as amount
    from ordered_events
),

-- each subscription is numbered so its end can be credited to the source it started from
numbered as (
    select
        *,
        sum(case when amount = 1 then 1 else 0 end) over (
            partition by subscriber_key order by occurred_at, event_id rows between unbounded preceding and current row
        ) as subscription_number
    from deltas
),

state_changes as (
    select
        {{ month_of('occurred_at') }} as period_month,
        max(case when amount = 1 then source end) over (
            partition by subscriber_key, subscription_number
        ) as source,  -- noqa: RF04
        amount
    from numbered
),

units as (
    select
        period_month,
        source,
        amount,
        case when amount > 0 then 1 else 0 end as subscribed,
        case when amount < 0 then 1 else 0 end as unsubscribed
    from state_changes
    where amount <> 0
),

series as (
    {{ kpi_series('units', 'sum', ['source'], extra_sums=['subscribed', 'unsubscribed']) }}
),

with_start as (
    select
        series.*,
        coalesce(sum(series.value) over (
            partition by series.dimension, series.dimension_value
            order by series.period_month
            rows between unbounded preceding and 1 preceding
        ), 0) as subscribers_at_month_start
    from series
),

final as (
    select
        period_month,
        dimension,
        dimension_value,
        value,
        numerator,
        denominator,
        subscribed as new_subscribers,
        unsubscribed as lost_subscribers,
        subscribers_at_month_start,
        value / nullif(subscribers_at_month_start, 0) as growth_rate
    from with_start
)

select * from final
