{#
    One row per human session and page path it viewed: the unique page views
    (kpi_unique_page_views), kept so that the KPI reads a few million pairs
    instead of making every web event distinct again on each run.

    Incremental per visitor like int_web__sessions (macros/web_scope.sql),
    from which it takes the session's month: a run recomputes the pairs of
    the visitors its loads can change, the rest stay.
#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='anonymous_id',
        on_schema_change='fail',
        pre_hook="{{ web_scope_delete('last_loaded_at', 'last_viewed_at') }}",
    )
}}

-- the scope of an incremental run reads these (macros/web_scope.sql)
-- depends_on: {{ ref('util_as_of_date') }}, {{ ref('base_web__events') }}
{%- set scope = web_scope_state('last_loaded_at', 'last_viewed_at') %}

with

events as (
    select * from {{ ref('int_web__events_sessionized') }} as sessionised
    {{ web_scope_filter(scope, 'sessionised') }}
),

sessions as (
    select * from {{ ref('int_web__sessions') }} as held_sessions
    {{ web_scope_filter(scope, 'held_sessions') }}
),

session_pages as (
    select
        events.anonymous_id,
        events.session_key,
        events.page_path,
        count(*) as page_views,
        max(events.occurred_at) as last_viewed_at,
        max(events._loaded_at) as last_loaded_at
    from events
    where
        not events.is_bot
        and events.event_type = 'page_view'
    group by
        events.anonymous_id,
        events.session_key,
        events.page_path
),

final as (
    -- every session with a human page view is a human session, so the inner
    -- join loses nothing
    select
        session_pages.anonymous_id,
        session_pages.session_key,
        sessions.session_month,
        session_pages.page_path,
        session_pages.page_views,
        session_pages.last_viewed_at,
        session_pages.last_loaded_at
    from session_pages
    inner join sessions
        on
            session_pages.anonymous_id = sessions.anonymous_id
            and session_pages.session_key = sessions.session_key
)

select * from final
