{#
    Pipeline waterfall: how did the open pipeline (USD) move from the start of
    each month to its end?

    One row per month of util_months:

        opening_usd + created_usd - won_usd - lost_usd + other_changes_usd
            = closing_usd

    opening_usd is the pipeline open at the end of the previous month and
    closing_usd the one open at the end of this month, both as
    fct_deal_month_end_snapshots values them (the pipeline_value KPI), so a
    month's opening is the previous month's closing.  The pieces in between
    are taken deal by deal:
      - created_usd: deals created in the month, at their month-end value
        when still open; a deal created and closed within the month counts
        at its fct_deals amount_usd here and again in won or lost, so it
        nets to zero.
      - won_usd, lost_usd: deals won or lost in the month (fct_deals outcome
        and closed_month), at the value they were open at when the month
        began.
      - other_changes_usd: what is left, deal by deal - a deal open at both
        ends whose amount or currency changed in its stage history, or whose
        currency's fx rate moved; in the first month, deals created before
        the month that are still open (there is no earlier snapshot to open
        with); and a deal that left the pipeline without a valid close.
    A deal without an amount adds nothing anywhere.
#}

with

months as (
    select * from {{ ref('util_months') }}
),

snapshots as (
    select * from {{ ref('fct_deal_month_end_snapshots') }}
),

deals as (
    select * from {{ ref('fct_deals') }}
),

closing as (
    select
        snapshots.period_month,
        snapshots.deal_id,
        snapshots.amount_usd
    from snapshots
),

opening as (
    -- the previous month's closing, moved to the month it opens
    select
        months.next_month as period_month,
        snapshots.deal_id,
        snapshots.amount_usd
    from snapshots
    inner join months
        on snapshots.period_month = months.period_month
),

deal_months as (
    select
        closing.period_month,
        closing.deal_id
    from closing
    union
    select
        opening.period_month,
        opening.deal_id
    from opening
    union
    select
        deals.created_month as period_month,
        deals.deal_id
    from deals
    union
    select
        deals.closed_month as period_month,
        deals.deal_id
    from deals
    where deals.outcome in ('won', 'lost')
),

flags as (
    select
        deal_months.period_month,
        deal_months.deal_id,
        deals.outcome,
        deals.amount_usd as deal_amount_usd,
        opening.deal_id is not null as is_open_at_start,
        closing.deal_id is not null as is_open_at_end,
        coalesce(opening.amount_usd, 0) as opening_usd,
        coalesce(closing.amount_usd, 0) as closing_usd,
        coalesce(deals.created_month = deal_months.period_month, false) as is_created,
        coalesce(
            deals.outcome in ('won', 'lost') and deals.closed_month = deal_months.period_month, false
        ) as is_closed
    from deal_months
    inner join months
        on deal_months.period_month = months.period_month
    inner join deals
        on deal_months.deal_id = deals.deal_id
    left join opening
        on
            deal_months.period_month = opening.period_month
            and deal_months.deal_id = opening.deal_id
    left join closing
        on
            deal_months.period_month = closing.period_month
            and deal_months.deal_id = closing.deal_id
),

deal_movements as (
    select
        flags.period_month,
        flags.deal_id,
        flags.outcome,
        flags.is_closed,
        flags.opening_usd,
        flags.closing_usd,
        case
            when not flags.is_created then 0
            when flags.is_open_at_end then flags.closing_usd
            when flags.is_closed then coalesce(flags.deal_amount_usd, 0)
            else 0
        end as created_usd,
        case
            when not flags.is_closed then 0
            when flags.is_open_at_start then flags.opening_usd
            when flags.is_created then coalesce(flags.deal_amount_usd, 0)
            else 0
        end as closed_usd
    from flags
),

monthly as (
    select
        deal_movements.period_month,
        sum(deal_movements.opening_usd) as opening_usd,
        sum(deal_movements.created_usd) as created_usd,
        sum(
            case when deal_movements.is_closed and deal_movements.outcome = 'won' then deal_movements.closed_usd end
        ) as won_usd,
        sum(
            case when deal_movements.is_closed and deal_movements.outcome = 'lost' then deal_movements.closed_usd end
        ) as lost_usd,
        sum(
            deal_movements.closing_usd - deal_movements.opening_usd - deal_movements.created_usd
            + deal_movements.closed_usd
        ) as other_changes_usd,
        sum(deal_movements.closing_usd) as closing_usd
    from deal_movements
    group by deal_movements.period_month
)

select
    months.period_month,
    coalesce(monthly.opening_usd, 0) as opening_usd,
    coalesce(monthly.created_usd, 0) as created_usd,
    coalesce(monthly.won_usd, 0) as won_usd,
    coalesce(monthly.lost_usd, 0) as lost_usd,
    coalesce(monthly.other_changes_usd, 0) as other_changes_usd,
    coalesce(monthly.closing_usd, 0) as closing_usd
from months
left join monthly
    on months.period_month = monthly.period_month
order by months.period_month asc
