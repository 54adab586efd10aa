with

base as (
    select * from {{ ref('base_email__events') }}
    where row_disposition = 'staged'
),

final as (
    select
        event_id,
        campaign_id,
        recipient_email_normalized,
        recipient_email_hash,
        recipient_key,
        lead_id,
        event_type,
        occurred_at,
        is_recipient_email_malformed,
        _loaded_at
    from base
)

select * from final
