{#
    How many won dollars per day the open pipeline should yield (docs/kpis.md,
    "pipeline_velocity"):

        open deals at month end x average won deal size x win rate
        / average sales cycle days

    The last three read the deals closed (won or lost, valid closed_at) in
    the trailing 3 months: the month and the two before it, even when those
    lie before the first month of the spine.  Deal size is the won deal's
    USD amount at its close month's rate (a won deal without an amount is
    left out of the size, not of the win rate); the cycle runs from the
    deal's creation to its close.  Without a won deal there is no size or
    cycle: null.
#}

with

snapshots as (
    select * from {{ ref('fct_deal_month_end_snapshots') }}
),

deals as (
    select * from {{ ref('fct_deals') }}
),

months as (
    select * from {{ ref('util_months') }}
),

open_deals as (
    select
        months.period_month,
        count(snapshots.deal_id) as open_deals
    from months
    left join snapshots
        on months.period_month = snapshots.period_month
    group by months.period_month
),

trailing_closed as (
    select
        months.period_month,
        count(deals.deal_id) as closed_deals,
        sum(case when deals.outcome = 'won' then 1 else 0 end) as won_deals,
        {{ exact_avg("case when deals.outcome = 'won' then deals.amount_usd end") }} as avg_won_deal_usd,
        {{ exact_avg("case when deals.outcome = 'won' then deals.cycle_days end") }} as avg_sales_cycle_days
    from months
    left join deals
        on
            months.period_month >= deals.closed_month
            and {{ dbt.dateadd('month', -2, 'months.period_month') }} <= deals.closed_month
            and deals.outcome in ('won', 'lost')
    group by months.period_month
),

inputs as (
    select
        open_deals.period_month,
        cast(open_deals.open_deals as {{ type_double() }}) as open_deals,
        cast(trailing_closed.closed_deals as {{ type_double() }}) as closed_deals,
        cast(trailing_closed.won_deals as {{ type_double() }}) as won_deals,
        cast(trailing_closed.avg_won_deal_usd as {{ type_double() }}) as avg_won_deal_usd,
        cast(trailing_closed.won_deals as {{ type_double() }})
        / nullif(trailing_closed.closed_deals, 0) as win_rate,
        cast(trailing_closed.avg_sales_cycle_days as {{ type_double() }}) as avg_sales_cycle_days
    from open_deals
    inner join trailing_closed
        on open_deals.period_month = trailing_closed.period_month
),

velocity as (
    -- the open pipeline's expected won USD over how long winning takes; null without a won deal
    select
        inputs.*,
        case
            when inputs.won_deals > 0
                then inputs.open_deals * inputs.avg_won_deal_usd * inputs.win_rate
        end as expected_won_usd
    from inputs
),

final as (
    select
        velocity.period_month,
        cast('all' as {{ dbt.type_string() }}) as dimension,
        cast('all' as {{ dbt.type_string() }}) as dimension_value,
        velocity.expected_won_usd / nullif(velocity.avg_sales_cycle_days, 0) as value,  -- noqa: RF04
        velocity.expected_won_usd as numerator,
        velocity.avg_sales_cycle_days as denominator,
        velocity.open_deals,
        velocity.closed_deals as closed_deals_trailing_3m,
        velocity.won_deals as won_deals_trailing_3m,
        velocity.avg_won_deal_usd,
        velocity.win_rate,
        velocity.avg_sales_cycle_days
    from velocity
)

select * from final
