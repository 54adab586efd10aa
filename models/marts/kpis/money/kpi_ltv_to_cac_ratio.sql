{#
    LTV to CAC ratio on trailing three-month means (docs/kpis.md
    ltv_to_cac_ratio): the mean of the non-null ltv values of the month and
    the two months before it, over the same mean of cac.  Smoothing both
    sides keeps one month with few new customers from swinging the ratio.
    Null when either side has no value in the window.
#}

with

months as (
    select * from {{ ref('util_months') }}
),

ltv as (
    select * from {{ ref('kpi_ltv') }}
    where dimension = 'all'
),

cac as (
    select * from {{ ref('kpi_cac') }}
    where dimension = 'all'
),

monthly_inputs as (
    select
        months.period_month,
        ltv.value as ltv_usd,
        cac.value as cac_usd
    from months
    left join ltv
        on months.period_month = ltv.period_month
    left join cac
        on months.period_month = cac.period_month
),

-- the spine has one row per month without gaps, so three rows are three months; avg skips nulls
trailing_means as (
    select
        period_month,
        ltv_usd,
        cac_usd,
        avg(ltv_usd) over (order by period_month rows between 2 preceding and current row) as mean_ltv_usd,
        avg(cac_usd) over (order by period_month rows between 2 preceding and current row) as mean_cac_usd
    from monthly_inputs
),

final as (
    select
        period_month,
        cast('all' as {{ dbt.type_string() }}) as dimension,
        cast('all' as {{ dbt.type_string() }}) as dimension_value,
        cast(mean_ltv_usd / nullif(mean_cac_usd, 0) as {{ type_double() }}) as value,  -- noqa: RF04
        cast(mean_ltv_usd as {{ type_double() }}) as numerator,
        cast(mean_cac_usd as {{ type_double() }}) as denominator,
        cast(ltv_usd as {{ type_double() }}) as ltv_usd,
        cast(cac_usd as {{ type_double() }}) as cac_usd
    from trailing_means
)

select * from final
