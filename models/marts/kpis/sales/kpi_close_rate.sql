{#
    Deals won over deals closed (won or lost) in the month of their close
    (docs/kpis.md).  A deal counts as closed only with a valid closed_at
    (fct_deals.outcome), so a closed stage whose close date was invalid is
    still open here.
#}

with

deals as (
    select * from {{ ref('fct_deals') }}
),

units as (
    select
        deals.closed_month as period_month,
        deals.deal_type,
        case when deals.outcome = 'won' then 1 else 0 end as numerator,
        1 as denominator
    from deals
    where deals.outcome in ('won', 'lost')
),

final as (
    {{ kpi_series('units', 'ratio', ['deal_type']) }}
)

select * from final
