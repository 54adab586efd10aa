{#
    USD value of the deals open at the end of each month (docs/kpis.md, "Open at
    the end of month M"), each at the stage and amount its history showed
    then, converted at that month's rate; all of that is settled in
    fct_deal_month_end_snapshots.  A deal without any amount adds nothing.
#}

with

snapshots as (
    select * from {{ ref('fct_deal_month_end_snapshots') }}
),

units as (
    select
        snapshots.period_month,
        snapshots.stage_at_month_end as stage,  -- noqa: RF04
        snapshots.amount_usd as amount
    from snapshots
),

final as (
    {{ kpi_series('units', 'sum', ['stage']) }}
)

select * from final
