{{ config(materialized='view') }}

with

base as (
    select * from {{ ref('base_web__events') }}
    where row_disposition = 'staged'
),

final as (
    select
        event_id,
        anonymous_id,
        session_id,
        event_type,
        is_conversion,
        occurred_at,
        page_url,
        page_path,
        referrer_url,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        user_agent,
        is_bot,
        device_type,
        country_code,
        lead_id,
        user_id,
        _loaded_at
    from base
)

select * from final
