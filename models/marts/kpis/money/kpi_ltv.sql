{#
    Customer lifetime value (docs/kpis.md ltv): what an average paying account
    earns in gross margin before it leaves,

        ARPA x gross_margin / monthly logo churn rate

    ARPA is the month's paid revenue over the accounts paying in the month.
    Logo churn is the share of the accounts paying last month that do not
    pay this month, floored at min_churn_rate so a month without churn does
    not make the value infinite.  The first month of the spine has no
    previous paying set to churn from, so its value is null.
#}

with

months as (
    select * from {{ ref('util_months') }}
),

account_months as (
    select * from {{ ref('fct_account_months') }}
),

monthly_accounts as (
    select
        account_months.period_month,
        {{ exact_sum('case when account_months.is_paying then account_months.revenue_usd else 0 end') }}
            as paid_revenue_usd,
        sum(case when account_months.is_paying then 1 else 0 end) as paying_accounts,
        sum(case when account_months.was_paying_last_month then 1 else 0 end) as accounts_paying_last_month,
        sum(case when account_months.is_churned then 1 else 0 end) as churned_accounts
    from account_months
    group by account_months.period_month
),

filled_months as (
    select
        months.period_month,
        months.period_month = min(months.period_month) over () as is_first_month,
        cast(coalesce(monthly_accounts.paid_revenue_usd, 0) as {{ type_double() }}) as paid_revenue_usd,
        cast(coalesce(monthly_accounts.paying_accounts, 0) as {{ type_double() }}) as paying_accounts,
        cast(coalesce(monthly_accounts.accounts_paying_last_month, 0) as {{ type_double() }})
            as accounts_paying_last_month,
        cast(coalesce(monthly_accounts.churned_accounts, 0) as {{ type_double() }}) as churned_accounts
    from months
    left join monthly_accounts
        on months.period_month = monthly_accounts.period_month
),

unit_economics as (
    select
        period_month,
        paid_revenue_usd,
        paying_accounts,
        accounts_paying_last_month,
        churned_accounts,
        paid_revenue_usd / nullif(paying_accounts, 0) as arpa_usd,
        case
            when not is_first_month then churned_accounts / nullif(accounts_paying_last_month, 0)
        end as logo_churn_rate
    from filled_months
),

floored_churn as (
    select
        period_month,
        paid_revenue_usd,
        paying_accounts,
        accounts_paying_last_month,
        churned_accounts,
        arpa_usd,
        logo_churn_rate,
        case
            when logo_churn_rate < {{ number_var('min_churn_rate') }} then {{ number_var('min_churn_rate') }}
            else logo_churn_rate
        end as floored_churn_rate
    from unit_economics
),

final as (
    select
        period_month,
        cast('all' as {{ dbt.type_string() }}) as dimension,
        cast('all' as {{ dbt.type_string() }}) as dimension_value,
        cast(
            arpa_usd * {{ number_var('gross_margin') }} / floored_churn_rate as {{ type_double() }}
        ) as value,  -- noqa: RF04
        cast(arpa_usd * {{ number_var('gross_margin') }} as {{ type_double() }}) as numerator,
        cast(floored_churn_rate as {{ type_double() }}) as denominator,
        paid_revenue_usd,
        paying_accounts,
        arpa_usd,
        accounts_paying_last_month,
        churned_accounts,
        logo_churn_rate
    from floored_churn
)

select * from final
