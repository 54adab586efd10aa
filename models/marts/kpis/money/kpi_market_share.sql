{#
    Our share of the yearly market (docs/kpis.md market_share): paid revenue of
    the calendar year up to and including the month, over the market size
    of that year from the market_size seed.  The overall row divides all
    revenue by the seed's 'all' row; a segment row divides the revenue of
    that segment's accounts (dim_accounts) by that segment's size.  Revenue
    of accounts without a segment ('unknown') counts in the overall row only,
    since the market has no 'unknown' segment.  Null for a year the seed
    does not size.
#}

with

months as (
    select * from {{ ref('util_months') }}
),

account_months as (
    select * from {{ ref('fct_account_months') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

market_size as (
    select * from {{ ref('market_size') }}
),

market_segments as (
    select distinct market_size.segment
    from market_size
),

revenue_by_segment as (
    select
        account_months.period_month,
        coalesce(accounts.segment, 'unknown') as segment,
        account_months.revenue_usd
    from account_months
    left join accounts
        on account_months.account_id = accounts.account_id
    where account_months.is_paying
    union all
    -- every paid dollar also counts towards the whole market
    select
        account_months.period_month,
        'all' as segment,
        account_months.revenue_usd
    from account_months
    where account_months.is_paying
),

monthly_revenue as (
    select
        months.period_month,
        market_segments.segment,
        coalesce({{ exact_sum('revenue_by_segment.revenue_usd') }}, 0) as revenue_usd
    from months
    cross join market_segments
    left join revenue_by_segment
        on
            months.period_month = revenue_by_segment.period_month
            and market_segments.segment = revenue_by_segment.segment
    group by months.period_month, market_segments.segment
),

year_to_date as (
    select
        period_month,
        segment,
        cast(extract(year from period_month) as {{ dbt.type_int() }}) as calendar_year,
        revenue_usd,
        sum(revenue_usd) over (
            partition by segment, {{ dbt.date_trunc('year', 'period_month') }}
            order by period_month
            rows between unbounded preceding and current row
        ) as revenue_ytd_usd
    from monthly_revenue
),

final as (
    select
        year_to_date.period_month,
        cast(case when year_to_date.segment = 'all' then 'all' else 'segment' end as {{ dbt.type_string() }})
            as dimension,
        cast(year_to_date.segment as {{ dbt.type_string() }}) as dimension_value,
        cast(
            year_to_date.revenue_ytd_usd / nullif(market_size.market_size_usd, 0) as {{ type_double() }}
        ) as value,  -- noqa: RF04
        cast(year_to_date.revenue_ytd_usd as {{ type_double() }}) as numerator,
        cast(market_size.market_size_usd as {{ type_double() }}) as denominator,
        year_to_date.revenue_usd
    from year_to_date
    left join market_size
        on
            year_to_date.calendar_year = market_size.year
            and year_to_date.segment = market_size.segment
)

select * from final
