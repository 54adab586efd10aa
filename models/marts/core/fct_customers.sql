{#
    One row per account that became a customer, with the instant it did
    (docs/kpis.md, cac): the earlier of its first won deal's closed_at (any live
    deal of the account, with or without a lead) and its first subscription's
    paid_started_at.  cac counts new customers by became_customer_month.
#}

with

deals as (
    select * from {{ ref('int_deals') }}
),

subscriptions as (
    select * from {{ ref('int_subscriptions') }}
),

first_won_deals as (
    select
        account_id,
        min(closed_at) as first_won_deal_at,
        count(*) as won_deals
    from deals
    where is_won and account_id is not null
    group by account_id
),

first_paid_subscriptions as (
    select
        account_id,
        min(paid_started_at) as first_paid_at,
        count(*) as paid_subscriptions
    from subscriptions
    where paid_started_at is not null and account_id is not null
    group by account_id
),

customer_accounts as (
    select first_won_deals.account_id from first_won_deals
    union
    select first_paid_subscriptions.account_id from first_paid_subscriptions
),

customers as (
    select
        customer_accounts.account_id,
        first_won_deals.first_won_deal_at,
        first_paid_subscriptions.first_paid_at,
        coalesce(first_won_deals.won_deals, 0) as won_deals,
        coalesce(first_paid_subscriptions.paid_subscriptions, 0) as paid_subscriptions,
        -- a tie goes to the deal: the sale came first, billing followed it
        case
            when first_paid_subscriptions.first_paid_at is null then 'won_deal'
            when first_won_deals.first_won_deal_at is null then 'subscription'
            when first_won_deals.first_won_deal_at <= first_paid_subscriptions.first_paid_at then 'won_deal'
            else 'subscription'
        end as via
    from customer_accounts
    left join first_won_deals
        on customer_accounts.account_id = first_won_deals.account_id
    left join first_paid_subscriptions
        on customer_accounts.account_id = first_paid_subscriptions.account_id
),

final as (
    select
        account_id,
        first_won_deal_at,
        first_paid_at,
        case when via = 'won_deal' then first_won_deal_at else first_paid_at end as became_customer_at,
        {{ month_of("case when via = 'won_deal' then first_won_deal_at else first_paid_at end") }}
            as became_customer_month,
        via,
        won_deals,
        paid_subscriptions
    from customers
)

select * from final
