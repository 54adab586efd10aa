with

base as (
    select * from {{ ref('base_billing__subscriptions') }}
    where row_disposition = 'staged'
),

final as (
    select
        subscription_id,
        account_id,
        plan,
        status,
        trial_started_at,
        trial_ended_at,
        paid_started_at,
        canceled_at,
        mrr_amount,
        currency_code,
        mrr_usd,
        is_trial_started_at_invalid,
        is_trial_ended_at_invalid,
        is_paid_started_at_invalid,
        is_canceled_at_invalid,
        _loaded_at
    from base
)

select * from final
