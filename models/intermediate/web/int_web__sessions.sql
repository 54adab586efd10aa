{#
    One row per web session with at least one human event: the unit of
    website_traffic, visitors, landing pages and first-touch attribution.

    Incremental per visitor (macros/web_scope.sql): a run recomputes every
    session of the visitors its loads can change (new, late and re-delivered
    events, events let in by a later as-of day) and keeps the others, so the
    daily cost follows the new data, not the history.  A visitor's sessions
    are all recomputed together because the numbering, the first session and
    a derived session split or merged by a late event depend on all of them.
    channel and campaign_id also depend on the channel_rules seed and on the
    campaigns, which change apart from the web events: the fingerprint of
    both is kept on every row, and a change recomputes every visitor.
    tests/python/test_incremental_sessions.py proves a run equals a full
    refresh.
#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='anonymous_id',
        on_schema_change='fail',
        pre_hook="{{ web_scope_delete('last_loaded_at', 'ended_at', web_reference_fingerprint()) }}",
    )
}}

-- the scope of an incremental run reads these (macros/web_scope.sql)
-- depends_on: {{ ref('util_as_of_date') }}, {{ ref('base_web__events') }}
{%- set scope = web_scope_state('last_loaded_at', 'ended_at', web_reference_fingerprint()) %}

with

campaigns as (
    select * from {{ ref('stg_marketing__campaigns') }}
),

events as (
    select sessionised.* from {{ ref('int_web__events_sessionized') }} as sessionised
    {{ web_scope_filter(scope, 'sessionised') }}
),

sessions as (
    select
        events.anonymous_id,
        events.session_key,
        events.is_sessionised,
        -- a session starts at its first event, bot or not (docs/kpis.md, Precise
        -- readings), ties by event_id; the first event gives the landing page
        -- and the tags
        min(events.occurred_at) as started_at,
        max(events.occurred_at) as ended_at,
        {{ first_values_by(
            [
                'events.page_path', 'events.utm_source', 'events.utm_medium', 'events.utm_campaign',
                'events.referrer_host', 'events.device_type', 'events.country_code'
            ],
            ['events.occurred_at', 'events.event_id']
        ) | indent(8) }},
        -- counts are of human events: bots leave every web KPI
        sum(case when not events.is_bot then 1 else 0 end) as events,
        sum(case when not events.is_bot and events.event_type = 'page_view' then 1 else 0 end) as page_views,
        sum(case when not events.is_bot and events.is_conversion then 1 else 0 end) as conversions,
        -- the newest load behind the session: where the next run's scope starts
        max(events._loaded_at) as last_loaded_at
    from events
    -- is_sessionised in the key: a tracker id equal to a derived key then
    -- gives two rows, which the unique test on session_key catches
    group by
        events.anonymous_id,
        events.session_key,
        events.is_sessionised
),

human_sessions as (
    select
        sessions.anonymous_id,
        sessions.session_key,
        sessions.is_sessionised,
        sessions.started_at,
        sessions.ended_at,
        sessions.page_path as landing_page_path,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.referrer_host,
        sessions.device_type,
        sessions.country_code,
        sessions.events,
        sessions.page_views,
        sessions.conversions,
        sessions.last_loaded_at,
        -- numbered among human sessions only (the where applies before the window)
        row_number() over (
            partition by sessions.anonymous_id
            order by sessions.started_at, sessions.session_key
        ) as visitor_session_number
    from sessions
    where sessions.events > 0
),

tag_combinations as (
    -- the channel depends on the tags alone, so the rules are matched once
    -- per distinct combination of tags rather than once per session
    select
        tags.utm_source,
        tags.utm_medium,
        tags.referrer_host,
        -- lead source applies to leads only
        cast(null as {{ dbt.type_string() }}) as lead_source,
        row_number() over (order by tags.utm_source, tags.utm_medium, tags.referrer_host) as tag_combination_id
    from (
        select distinct
            human_sessions.utm_source,
            human_sessions.utm_medium,
            human_sessions.referrer_host
        from human_sessions
    ) as tags
),

tag_channels as (
    {{ assign_channel('tag_combinations', 'tag_combination_id') }}
),

campaign_candidates as (
    -- campaigns may share a utm_campaign: prefer the one running on the
    -- session's start date (an open end_date runs on), then the lowest id
    select
        human_sessions.session_key,
        campaigns.campaign_id,
        row_number() over (
            partition by human_sessions.session_key
            order by
                case
                    when
                        campaigns.start_date <= cast(human_sessions.started_at as date)
                        and (
                            campaigns.end_date is null
                            or campaigns.end_date >= cast(human_sessions.started_at as date)
                        )
                        then 0
                    else 1
                end,
                campaigns.campaign_id
        ) as campaign_rank
    from human_sessions
    inner join campaigns
        on lower(human_sessions.utm_campaign) = campaigns.utm_campaign
),

final as (
    select
        human_sessions.session_key,
        human_sessions.anonymous_id,
        human_sessions.is_sessionised,
        human_sessions.started_at,
        {{ month_of('human_sessions.started_at') }} as session_month,
        human_sessions.ended_at,
        human_sessions.landing_page_path,
        human_sessions.utm_source,
        human_sessions.utm_medium,
        human_sessions.utm_campaign,
        human_sessions.referrer_host,
        human_sessions.device_type,
        human_sessions.country_code,
        tag_channels.channel,
        campaign_candidates.campaign_id,
        human_sessions.events,
        human_sessions.page_views,
        human_sessions.conversions,
        human_sessions.conversions > 0 as has_conversion,
        human_sessions.visitor_session_number,
        human_sessions.visitor_session_number = 1 as is_first_session,
        human_sessions.last_loaded_at,
        ({{ web_reference_fingerprint() }}) as reference_fingerprint
    from human_sessions
    -- utm values and referrer hosts are never '' (url macros), so '' stands for null
    inner join tag_combinations
        on
            coalesce(human_sessions.utm_source, '') = coalesce(tag_combinations.utm_source, '')
            and coalesce(human_sessions.utm_medium, '') = coalesce(tag_combinations.utm_medium, '')
            and coalesce(human_sessions.referrer_host, '') = coalesce(tag_combinations.referrer_host, '')
    inner join tag_channels
        on tag_combinations.tag_combination_id = tag_channels.tag_combination_id
    left join campaign_candidates
        on
            human_sessions.session_key = campaign_candidates.session_key
            and campaign_candidates.campaign_rank = 1
)

select * from final
