{#
    One row per web session with at least one human event: the unit of
    website_traffic, visitors, landing pages and first-touch attribution.

    A table, not incremental: the expensive window (sessionisation) already
    runs incrementally in int_web__events_sessionized, and this model only
    aggregates it.  Its channel and campaign_id also depend on the
    channel_rules seed and on campaigns, which change independently of web
    events; a full rebuild never keeps a stale channel or campaign.
#}

with

campaigns as (
    select * from {{ ref('stg_marketing__campaigns') }}
),

session_totals as (
    select
        events.anonymous_id,
        events.session_key,
        max(events.occurred_at) as ended_at,
        -- counts are of human events: bots leave every web KPI
        sum(case when not events.is_bot then 1 else 0 end) as events,
        sum(case when not events.is_bot and events.event_type = 'page_view' then 1 else 0 end) as page_views,
        sum(case when not events.is_bot and events.is_conversion then 1 else 0 end) as conversions
    -- the events are read twice from the table, not through a CTE: a CTE
    -- read twice is held aside in full, and it holds every web event
    from {{ ref('int_web__events_sessionized') }} as events
    group by
        events.anonymous_id,
        events.session_key
),

first_events as (
    -- a session starts at its first event, bot or not (kpis.md, Precise readings)
    select
        events.anonymous_id,
        events.session_key,
        events.is_sessionised,
        events.occurred_at as started_at,
        events.page_path as landing_page_path,
        events.utm_source,
        events.utm_medium,
        events.utm_campaign,
        events.referrer_host,
        events.device_type,
        events.country_code
    from {{ ref('int_web__events_sessionized') }} as events
    where events.session_event_number = 1
),

human_sessions as (
    select
        first_events.anonymous_id,
        first_events.session_key,
        first_events.is_sessionised,
        first_events.started_at,
        session_totals.ended_at,
        first_events.landing_page_path,
        first_events.utm_source,
        first_events.utm_medium,
        first_events.utm_campaign,
        first_events.referrer_host,
        first_events.device_type,
        first_events.country_code,
        session_totals.events,
        session_totals.page_views,
        session_totals.conversions,
        -- numbered among human sessions only (the where applies before the window)
        row_number() over (
            partition by first_events.anonymous_id
            order by first_events.started_at, first_events.session_key
        ) as visitor_session_number
    from first_events
    inner join session_totals
        on
            first_events.anonymous_id = session_totals.anonymous_id
            and first_events.session_key = session_totals.session_key
    where session_totals.events > 0
),

channel_inputs as (
    select
        human_sessions.session_key,
        human_sessions.utm_source,
        human_sessions.utm_medium,
        human_sessions.referrer_host,
        -- lead source applies to leads only
        cast(null as {{ dbt.type_string() }}) as lead_source
    from human_sessions
),

session_channels as (
    {{ assign_channel('channel_inputs', 'session_key') }}
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
        session_channels.channel,
        campaign_candidates.campaign_id,
        human_sessions.events,
        human_sessions.page_views,
        human_sessions.conversions,
        human_sessions.conversions > 0 as has_conversion,
        human_sessions.visitor_session_number,
        human_sessions.visitor_session_number = 1 as is_first_session
    from human_sessions
    left join session_channels
        on human_sessions.session_key = session_channels.session_key
    left join campaign_candidates
        on
            human_sessions.session_key = campaign_candidates.session_key
            and campaign_candidates.campaign_rank = 1
)

select * from final
