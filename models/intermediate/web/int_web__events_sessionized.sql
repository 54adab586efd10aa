{#
    Every staged web event with a visitor (bots included, flagged) and the
    session it belongs to: the tracker's session id, else the session
    int_web__untracked_events_sessionized derived.

    A view: it adds two columns to the staged events, and a table would copy
    every web event once more.  Its readers (int_web__sessions and the page
    KPIs) read it once each; the join it adds is a lookup into the few
    untracked events.
#}
{{ config(materialized='view') }}

with

events as (
    select * from {{ ref('stg_web__events') }}
    -- no visitor, no session (stg_web__events warns when such events exist)
    where anonymous_id is not null
),

untracked_sessions as (
    select * from {{ ref('int_web__untracked_events_sessionized') }}
),

final as (
    select
        events.event_id,
        events.anonymous_id,
        coalesce(events.session_id, untracked_sessions.session_key) as session_key,
        events.session_id is null as is_sessionised,
        events.event_type,
        events.is_conversion,
        events.occurred_at,
        events.page_path,
        events.referrer_host,
        events.utm_source,
        events.utm_medium,
        events.utm_campaign,
        events.device_type,
        events.country_code,
        events.lead_id,
        events.user_id,
        events.is_bot,
        events._loaded_at
    from events
    left join untracked_sessions
        on events.event_id = untracked_sessions.event_id
)

select * from final
