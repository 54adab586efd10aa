{#
    Revenue per account and month (docs/kpis.md, "Revenue"): one row per
    (billing account, month of util_months) in which the account paid an
    invoice, had a paid subscription running, or stopped paying (the month
    after a paying month, so churn can be counted).

    Revenue is invoices with status 'paid', by the month of paid_at, in USD
    at that month's rate (staging converts them so); a refunded, open or void
    invoice counts nowhere.  An account is paying in a month when it has such
    an invoice then.  MRR is the sum of the subscriptions whose paid period
    overlaps the month, each converted at that month's rate.
#}

with

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

subscriptions as (
    select * from {{ ref('int_subscriptions') }}
),

months as (
    select * from {{ ref('util_months') }}
),

paid_invoices as (
    select
        invoices.invoice_id,
        -- an invoice without an account still belongs to its subscription's
        coalesce(invoices.account_id, subscriptions.account_id) as account_id,
        {{ month_of('invoices.paid_at') }} as period_month,
        invoices.amount_usd,
        subscriptions.plan
    from invoices
    left join subscriptions
        on invoices.subscription_id = subscriptions.subscription_id
    where
        invoices.status = 'paid'
        and invoices.paid_at is not null
),

paying_months as (
    select
        account_id,
        period_month,
        count(*) as paid_invoices,
        coalesce({{ exact_sum('amount_usd') }}, 0) as revenue_usd
    from paid_invoices
    where account_id is not null
    group by account_id, period_month
),

first_paying_months as (
    select
        account_id,
        min(period_month) as first_paying_month
    from paying_months
    group by account_id
),

largest_invoice_plans as (
    select
        account_id,
        period_month,
        plan,
        row_number() over (
            partition by account_id, period_month
            order by amount_usd desc nulls last, invoice_id asc
        ) as size_rank
    from paid_invoices
    where account_id is not null
),

active_subscription_months as (
    -- paid period overlapping the month: started before it ends, not canceled before it began
    select
        subscriptions.account_id,
        months.period_month,
        subscriptions.subscription_id,
        subscriptions.plan,
        {{ to_usd('subscriptions.mrr_amount', 'subscriptions.currency_code', 'months.period_month') }} as mrr_usd
    from subscriptions
    inner join months
        on
            subscriptions.paid_started_at < months.period_end
            and (
                subscriptions.canceled_at is null
                or subscriptions.canceled_at > cast(months.period_month as {{ dbt.type_timestamp() }})
            )
    where subscriptions.account_id is not null
),

subscription_mrr as (
    select
        account_id,
        period_month,
        count(*) as active_subscriptions,
        {{ exact_sum('mrr_usd') }} as mrr_usd
    from active_subscription_months
    group by account_id, period_month
),

largest_subscription_plans as (
    select
        account_id,
        period_month,
        plan,
        row_number() over (
            partition by account_id, period_month
            order by mrr_usd desc nulls last, subscription_id asc
        ) as size_rank
    from active_subscription_months
),

account_month_keys as (
    select
        account_id,
        period_month
    from paying_months
    union
    select
        account_id,
        period_month
    from active_subscription_months
    union
    -- the month after a paying month: where a stop in paying (churn) shows
    select
        account_id,
        cast({{ dbt.dateadd('month', 1, 'period_month') }} as date) as period_month
    from paying_months
),

account_months as (
    select
        account_month_keys.account_id,
        account_month_keys.period_month,
        coalesce(paying_months.revenue_usd, 0) as revenue_usd,
        coalesce(paying_months.paid_invoices, 0) as paid_invoices,
        paying_months.account_id is not null as is_paying,
        previous_paying_months.account_id is not null as was_paying_last_month,
        coalesce(first_paying_months.first_paying_month = account_month_keys.period_month, false)
            as is_first_paying_month,
        coalesce(subscription_mrr.active_subscriptions, 0) as active_subscriptions,
        case when subscription_mrr.account_id is null then 0 else subscription_mrr.mrr_usd end as mrr_usd,
        coalesce(largest_subscription_plans.plan, largest_invoice_plans.plan) as plan
    from account_month_keys
    -- the spine bounds the months: nothing before the first KPI month or after the as-of month
    inner join months
        on account_month_keys.period_month = months.period_month
    left join paying_months
        on
            account_month_keys.account_id = paying_months.account_id
            and account_month_keys.period_month = paying_months.period_month
    left join paying_months as previous_paying_months
        on
            account_month_keys.account_id = previous_paying_months.account_id
            and cast({{ dbt.dateadd('month', -1, 'account_month_keys.period_month') }} as date)
            = previous_paying_months.period_month
    left join first_paying_months
        on account_month_keys.account_id = first_paying_months.account_id
    left join subscription_mrr
        on
            account_month_keys.account_id = subscription_mrr.account_id
            and account_month_keys.period_month = subscription_mrr.period_month
    left join largest_subscription_plans
        on
            account_month_keys.account_id = largest_subscription_plans.account_id
            and account_month_keys.period_month = largest_subscription_plans.period_month
            and largest_subscription_plans.size_rank = 1
    left join largest_invoice_plans
        on
            account_month_keys.account_id = largest_invoice_plans.account_id
            and account_month_keys.period_month = largest_invoice_plans.period_month
            and largest_invoice_plans.size_rank = 1
),

final as (
    select
        account_id,
        period_month,
        revenue_usd,
        paid_invoices,
        is_paying,
        was_paying_last_month,
        is_paying and not was_paying_last_month as is_new_paying,
        is_first_paying_month,
        was_paying_last_month and not is_paying as is_churned,
        active_subscriptions,
        mrr_usd,
        plan
    from account_months
)

select * from final
