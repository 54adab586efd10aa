{#
    Month-over-month growth of paid revenue (docs/kpis.md revenue_growth and
    "Revenue"): paid invoices in USD by the month of paid_at, compared with
    the month before.  Null when the previous month's revenue is 0, which
    includes the first month of the spine.  The plan breakdown puts an
    account's revenue of a month under its plan that month (fct_account_months).
#}

with

account_months as (
    select * from {{ ref('fct_account_months') }}
),

units as (
    select
        account_months.period_month,
        account_months.plan,
        account_months.revenue_usd as amount
    from account_months
    where account_months.is_paying
),

series as (
    {{ kpi_series('units', 'sum', ['plan']) }}
),

with_previous as (
    select
        period_month,
        dimension,
        dimension_value,
        value as revenue_usd,
        lag(value) over (partition by dimension, dimension_value order by period_month) as previous_revenue_usd
    from series
),

final as (
    select
        period_month,
        dimension,
        dimension_value,
        cast(
            (revenue_usd - previous_revenue_usd) / nullif(previous_revenue_usd, 0) as {{ type_double() }}
        ) as value,  -- noqa: RF04
        cast(revenue_usd - previous_revenue_usd as {{ type_double() }}) as numerator,
        cast(previous_revenue_usd as {{ type_double() }}) as denominator,
        revenue_usd,
        previous_revenue_usd
    from with_previous
)

select * from final
