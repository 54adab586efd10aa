{#
    The billing subscriptions every mart reads (accounts, customers, account
    months, trial and subscriber KPIs), taken from staging once so that a
    rule about which subscriptions count lives in one place.  Subscriptions
    have no soft delete and no test records, so today every staged row
    counts; the months of the trial and paid starts are derived here because
    three consumers group by them.
#}

with

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

final as (
    select
        subscription_id,
        account_id,
        plan,
        status,
        trial_started_at,
        {{ month_of('trial_started_at') }} as trial_started_month,
        trial_ended_at,
        paid_started_at,
        {{ month_of('paid_started_at') }} as paid_started_month,
        canceled_at,
        mrr_amount,
        currency_code,
        mrr_usd
    from subscriptions
)

select * from final
