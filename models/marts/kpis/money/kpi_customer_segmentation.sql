{#
    How the paying customers of the month split by company size and industry
    (docs/kpis.md customer_segmentation): an account is a customer at the end of a
    month when it paid an invoice in that month.  Segment and industry come
    from its live CRM account (dim_accounts); an account without one, or
    without an employee count, is in segment 'unknown'.  Each row also gives
    its share of the month's paying customers and of the month's paid revenue.
#}

with

account_months as (
    select * from {{ ref('fct_account_months') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

units as (
    select
        account_months.period_month,
        coalesce(accounts.segment, 'unknown') as segment,
        accounts.industry,
        account_months.revenue_usd
    from account_months
    left join accounts
        on account_months.account_id = accounts.account_id
    where account_months.is_paying
),

series as (
    {{ kpi_series('units', 'count', ['segment', 'industry'], extra_sums=['revenue_usd']) }}
),

month_totals as (
    select
        period_month,
        value as paying_customers,
        revenue_usd as paid_revenue_usd
    from series
    where dimension = 'all'
),

final as (
    select
        series.period_month,
        series.dimension,
        series.dimension_value,
        series.value,
        series.numerator,
        series.denominator,
        series.revenue_usd,
        series.value / nullif(month_totals.paying_customers, 0) as share_of_customers,
        series.revenue_usd / nullif(month_totals.paid_revenue_usd, 0) as share_of_revenue
    from series
    inner join month_totals
        on series.period_month = month_totals.period_month
)

select * from final
