{#
    The largest raw table, so this base model is a table: stg_web__events,
    quarantine_rows, the row accounting and the tests read it, and the window
    over every event runs once.  To keep it small, raw_row is kept only for
    quarantined rows (the only ones anybody needs to inspect), and duplicate
    deliveries are ordered by the cleaned columns rather than the row's JSON.
#}
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('web', 'web_events') }}
),

bot_patterns as (
    select lower(pattern) as pattern from {{ ref('bot_user_agent_patterns') }}
),

cleaned as (
    select
        {{ clean_text('source.event_id') }} as event_id,
        {{ clean_text('source.anonymous_id') }} as anonymous_id,
        -- a blank session id is no session id: the visitor's events are sessionised downstream
        {{ clean_text('source.session_id') }} as session_id,
        {{ canonical_code('web_event_type', 'source.event_type') }} as event_type,
        cast(source.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        {{ clean_text('source.page_url') }} as page_url,
        lower({{ clean_text('source.page_path') }}) as page_path,
        {{ clean_text('source.referrer_url') }} as referrer_url,
        {{ url_host(clean_text('source.referrer_url')) }} as referrer_host,
        {{ url_query_parameter(clean_text('source.page_url'), 'utm_source') }} as utm_source,
        {{ url_query_parameter(clean_text('source.page_url'), 'utm_medium') }} as utm_medium,
        {{ url_query_parameter(clean_text('source.page_url'), 'utm_campaign') }} as utm_campaign,
        {{ clean_text('source.user_agent') }} as user_agent,
        coalesce(exists (
            select 1
            from bot_patterns
            where lower(source.user_agent) like {{ dbt.concat(["'%'", 'bot_patterns.pattern', "'%'"]) }}
        ), false) as is_bot,
        {{ clean_code('source.device_type') }} as device_type,
        {{ clean_upper_code('source.country_code') }} as country_code,
        {{ clean_text('source.lead_id') }} as lead_id,
        {{ clean_text('source.user_id') }} as user_id,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

checked as (
    select
        *,
        event_type in ('form_submit', 'demo_request', 'signup') as is_conversion,
        {{ delivery_rank(['event_id'], [
            'anonymous_id', 'session_id', 'event_type', 'occurred_at', 'page_url', 'referrer_url',
            'user_agent', 'device_type', 'country_code', 'lead_id', 'user_id',
        ]) }} as delivery_rank,
        {{ quarantine_reason(['event_id'], event_time_checks('occurred_at')) }} as quarantine_reason
    from cleaned
),

dispositions as (
    select
        *,
        {{ row_disposition(['event_id']) }} as row_disposition,
        {{ natural_key_text(['event_id']) }} as natural_key
    from checked
),

final as (
    select
        event_id,
        anonymous_id,
        session_id,
        event_type,
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
        _loaded_at,
        case when row_disposition = 'quarantined' then raw_row end as raw_row,
        is_conversion,
        delivery_rank,
        quarantine_reason,
        row_disposition,
        natural_key
    from dispositions
)

select * from final
