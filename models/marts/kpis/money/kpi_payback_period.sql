{#
    Months of gross margin needed to earn back what winning a customer cost
    (docs/kpis.md payback_period): cac / (ARPA x gross_margin), both of the same
    month.  Null when the month has no cac (no new customer) or no paying
    account to take ARPA from.
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
        cac.value as cac_usd,
        ltv.arpa_usd,
        ltv.arpa_usd * {{ number_var('gross_margin') }} as monthly_margin_per_account_usd
    from months
    left join cac
        on months.period_month = cac.period_month
    left join ltv
        on months.period_month = ltv.period_month
),

final as (
    select
        period_month,
        cast('all' as {{ dbt.type_string() }}) as dimension,
        cast('all' as {{ dbt.type_string() }}) as dimension_value,
        cast(cac_usd / nullif(monthly_margin_per_account_usd, 0) as {{ type_double() }}) as value,  -- noqa: RF04
        cast(cac_usd as {{ type_double() }}) as numerator,
        cast(monthly_margin_per_account_usd as {{ type_double() }}) as denominator,
        cast(arpa_usd as {{ type_double() }}) as arpa_usd
    from monthly_inputs
)

select * from final
