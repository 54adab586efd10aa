{#
    Customer acquisition cost (docs/kpis.md cac): ad spend plus the other sales
    and marketing expenses of the month, over the accounts that became
    customers in the month.  An account becomes a customer at its first
    customer event, the earlier of its first won deal and its first paid
    subscription (fct_customers), so it is counted once, ever.
#}

with

ad_spend as (
    select * from {{ ref('stg_marketing__ad_spend') }}
),

expenses as (
    select * from {{ ref('stg_marketing__expenses') }}
),

customers as (
    select * from {{ ref('fct_customers') }}
),

units as (
    select
        {{ month_of('ad_spend.report_date') }} as period_month,
        coalesce(ad_spend.spend_usd, 0) as numerator,
        0 as denominator,
        coalesce(ad_spend.spend_usd, 0) as ad_spend_usd,
        0 as marketing_expenses_usd
    from ad_spend
    union all
    select
        {{ month_of('expenses.expense_month') }} as period_month,
        coalesce(expenses.amount_usd, 0) as numerator,
        0 as denominator,
        0 as ad_spend_usd,
        coalesce(expenses.amount_usd, 0) as marketing_expenses_usd
    from expenses
    union all
    select
        customers.became_customer_month as period_month,
        0 as numerator,
        1 as denominator,
        0 as ad_spend_usd,
        0 as marketing_expenses_usd
    from customers
),

series as (
    {{ kpi_series('units', 'ratio', extra_sums=['ad_spend_usd', 'marketing_expenses_usd']) }}
),

final as (
    select
        period_month,
        dimension,
        dimension_value,
        value,
        numerator,
        denominator,
        ad_spend_usd,
        marketing_expenses_usd
    from series
)

select * from final
