{#
    What a stage was worth at each month end (docs/kpis.md, forecasted_win_rate):
    one row per (month, deal stage).  Among live deals that had entered the
    stage before the month's period_end and had closed (won or lost, with a
    valid closed_at) before it, the share that was won.  A deal entering a
    stage twice counts once.  Only history up to the month end is used, so
    a month's probabilities never see later outcomes.

    forecasted_win_rate gives each deal open at a month end
    (fct_deal_month_end_snapshots) the probability of its stage then.
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

closed_deals as (
    select
        deals.deal_id,
        deals.closed_at,
        deals.is_won
    from deals
    where deals.is_won or deals.is_lost
),

-- every stage a deal can be in at a month end, so each month has a row per stage
stages as (
    select stage_history.stage from stage_history
    inner join deals on stage_history.deal_id = deals.deal_id
    union
    select deals.stage from deals
    where deals.stage is not null
),

stage_entries as (
    -- first entry is enough: "entered before the month end" is all that matters
    select
        stage_history.deal_id,
        stage_history.stage,
        min(stage_history.entered_at) as first_entered_at
    from stage_history
    group by stage_history.deal_id, stage_history.stage
),

closed_entries as (
    select
        stage_entries.deal_id,
        stage_entries.stage,
        stage_entries.first_entered_at,
        closed_deals.closed_at,
        closed_deals.is_won
    from stage_entries
    inner join closed_deals
        on stage_entries.deal_id = closed_deals.deal_id
),

month_stage_counts as (
    select
        months.period_month,
        closed_entries.stage,
        count(*) as deals_entered_and_closed,
        sum(case when closed_entries.is_won then 1 else 0 end) as deals_won
    from months
    inner join closed_entries
        on
            months.period_end > closed_entries.first_entered_at
            and months.period_end > closed_entries.closed_at
    group by months.period_month, closed_entries.stage
),

final as (
    select
        months.period_month,
        stages.stage,
        coalesce(month_stage_counts.deals_entered_and_closed, 0) as deals_entered_and_closed,
        coalesce(month_stage_counts.deals_won, 0) as deals_won,
        -- a double, not an integer division, on every warehouse
        cast(month_stage_counts.deals_won as {{ type_double() }})
        / nullif(month_stage_counts.deals_entered_and_closed, 0) as win_probability
    from months
    cross join stages
    left join month_stage_counts
        on
            months.period_month = month_stage_counts.period_month
            and stages.stage = month_stage_counts.stage
)

select * from final
