with

base as (
    select * from {{ ref('base_email__newsletter_subscriptions') }}
    where row_disposition = 'staged'
),

final as (
    select
        event_id,
        email_normalized,
        email_hash,
        subscriber_key,
        event_type,
        occurred_at,
        subscription_source,
        is_email_malformed,
        _loaded_at
    from base
)

select * from final
