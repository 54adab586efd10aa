{#
    The pipeline as it stood at each month end: one row per (deal, month) for
    every live deal open at the end of that month (docs/kpis.md, "Open at the end
    of month M"): created before the month's period_end and not closed before
    it.  period_end is the first instant of the next month, or the end of the
    as-of day for the as-of month, so a deal closed exactly at that instant is
    no longer open.

    Stage and amount are read from the stage history as it stood then: the
    latest row entered before period_end (for the amount: the latest such
    row with an amount, in that row's currency), else the deal's own stage
    and amount.  Money is converted at month M's rate, whatever month the
    amount was entered in.
#}

with

deals as (
    select * from {{ ref('int_deals') }}
),

stage_history as (
    select * from {{ ref('stg_crm__deal_stage_history') }}
),

months as (
    select * from {{ ref('util_months') }}
),

open_deal_months as (
    select
        months.period_month,
        months.period_end,
        deals.deal_id,
        deals.deal_type,
        deals.stage as current_stage,
        deals.amount as current_amount,
        deals.currency_code as current_currency_code
    from deals
    inner join months
        on
            deals.created_at < months.period_end
            and (deals.closed_at is null or deals.closed_at >= months.period_end)
),

history_known_at_month_end as (
    select
        open_deal_months.deal_id,
        open_deal_months.period_month,
        stage_history.stage,
        stage_history.entered_at,
        stage_history.amount,
        stage_history.currency_code,
        -- funnel order breaks ties between rows entered at the same instant
        case stage_history.stage
            when 'discovery' then 1
            when 'demo' then 2
            when 'proposal' then 3
            when 'negotiation' then 4
            when 'closed_lost' then 5
            when 'closed_won' then 6
            else 0
        end as stage_order
    from open_deal_months
    inner join stage_history
        on
            open_deal_months.deal_id = stage_history.deal_id
            and open_deal_months.period_end > stage_history.entered_at
),

ranked_stages as (
    select
        deal_id,
        period_month,
        stage,
        row_number() over (
            partition by deal_id, period_month
            order by entered_at desc, stage_order desc, stage desc
        ) as recency_rank
    from history_known_at_month_end
),

ranked_amounts as (
    select
        deal_id,
        period_month,
        amount,
        currency_code,
        row_number() over (
            partition by deal_id, period_month
            order by entered_at desc, stage_order desc, stage desc
        ) as recency_rank
    from history_known_at_month_end
    where amount is not null
),

snapshots as (
    select
        open_deal_months.period_month,
        open_deal_months.deal_id,
        open_deal_months.deal_type,
        coalesce(ranked_stages.stage, open_deal_months.current_stage) as stage_at_month_end,
        -- amount and currency travel together: both from the history row, or both from the deal
        case
            when ranked_amounts.deal_id is not null then ranked_amounts.amount
            else open_deal_months.current_amount
        end as amount_local,
        case
            when ranked_amounts.deal_id is not null then ranked_amounts.currency_code
            else open_deal_months.current_currency_code
        end as currency_code,
        ranked_amounts.deal_id is not null as is_amount_from_history
    from open_deal_months
    left join ranked_stages
        on
            open_deal_months.deal_id = ranked_stages.deal_id
            and open_deal_months.period_month = ranked_stages.period_month
            and ranked_stages.recency_rank = 1
    left join ranked_amounts
        on
            open_deal_months.deal_id = ranked_amounts.deal_id
            and open_deal_months.period_month = ranked_amounts.period_month
            and ranked_amounts.recency_rank = 1
),

final as (
    select
        snapshots.period_month,
        snapshots.deal_id,
        snapshots.deal_type,
        snapshots.stage_at_month_end,
        snapshots.amount_local,
        snapshots.currency_code,
        snapshots.is_amount_from_history,
        -- month M's rate: the pipeline of M is valued as M saw it
        {{ to_usd('snapshots.amount_local', 'snapshots.currency_code', 'snapshots.period_month') }} as amount_usd
    from snapshots
)

select * from final
