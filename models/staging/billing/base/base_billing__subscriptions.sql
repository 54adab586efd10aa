with

source as (
    select landed.* from {{ raw_table('billing', 'billing_subscriptions') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.subscription_id') }} as subscription_id,
        {{ clean_text('source.account_id') }} as account_id,
        {{ clean_code('source.plan') }} as plan,
        {{ clean_code('source.status') }} as status,
        {{ valid_timestamp('source.trial_started_at') }} as trial_started_at,
        {{ is_timestamp_invalid('source.trial_started_at') }} as is_trial_started_at_invalid,
        -- a trial that is still running may end after the as-of day, so only
        -- a value before min_valid_timestamp is invalid here
        case
            when cast(source.trial_ended_at as {{ dbt.type_timestamp() }}) >= {{ min_valid_timestamp() }}
                then cast(source.trial_ended_at as {{ dbt.type_timestamp() }})
        end as trial_ended_at,
        coalesce(
            cast(source.trial_ended_at as {{ dbt.type_timestamp() }}) < {{ min_valid_timestamp() }},
            false
        ) as is_trial_ended_at_invalid,
        {{ valid_timestamp('source.paid_started_at') }} as paid_started_at,
        {{ is_timestamp_invalid('source.paid_started_at') }} as is_paid_started_at_invalid,
        {{ valid_timestamp('source.canceled_at') }} as canceled_at,
        {{ is_timestamp_invalid('source.canceled_at') }} as is_canceled_at_invalid,
        {{ money_or_null('source.mrr_amount') }} as mrr_amount,
        {{ clean_upper_code('source.currency_code') }} as currency_code,
        {{ numeric_fault(money=['source.mrr_amount']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{#-
    No defining timestamp: every date of a subscription is optional.
    mrr_usd is one rate for the subscription's start month; revenue KPIs
    convert invoices per month downstream instead of using this figure
    (qualified: inside to_usd's subquery a bare currency_code is the fx
    table's own).
#}
{{ base_labels(
    source_name='billing',
    table_name='billing_subscriptions',
    checks=numeric_fault_checks() + [
        ('mrr_amount < 0', 'negative_amount'),
        ('mrr_amount is not null and ' ~ is_unknown_currency('cleaned.currency_code'), 'unknown_currency'),
    ],
    extra_columns=[(
        to_usd(
            'cleaned.mrr_amount',
            'cleaned.currency_code',
            'coalesce(cleaned.paid_started_at, cleaned.trial_started_at)'
        ),
        'mrr_usd',
    )],
) }}
