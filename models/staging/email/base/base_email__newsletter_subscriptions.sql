with

source as (
    select landed.* from {{ raw_table('email', 'newsletter_subscriptions') }} as landed
),

cleaned as (
    select
        {{ clean_text('subscription_row.event_id') }} as event_id,
        {{ normalized_email('subscription_row.email') }} as email_normalized,
        {{ email_hash('subscription_row.email') }} as email_hash,
        {{ is_email_malformed('subscription_row.email') }} as is_email_malformed,
        {{ address_key('subscription_row.email') }} as subscriber_key,
        {{ clean_code('subscription_row.event_type') }} as event_type,
        cast(subscription_row.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        {{ clean_code('subscription_row.source') }} as subscription_source,
        cast(subscription_row._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('subscription_row') }} as raw_row
    -- the raw column `source` would shadow a row alias `source` in row_as_json
    from source as subscription_row
),

{{ base_labels(
    source_name='email',
    table_name='newsletter_subscriptions',
    checks=event_time_checks('occurred_at'),
) }}
