{#
    First-touch attribution of every live lead (docs/kpis.md, "Attribution" and
    "Precise readings"): the lead's own UTM parameters, unless all three are
    missing; then the first human session of the lead's visitor.  The
    channel comes from the channel_rules seed, which also looks at the lead
    source (events, partners, sales prospecting, referrals) and the first
    session's referrer.
#}

with

leads as (
    select
        lead_id,
        lead_source,
        lower(utm_source) as utm_source,
        lower(utm_medium) as utm_medium,
        lower(utm_campaign) as utm_campaign
    from {{ ref('int_leads') }}
),

visitors as (
    select * from {{ ref('int_lead_visitors') }}
),

first_sessions as (
    select * from {{ ref('int_web__sessions') }}
    where is_first_session
),

campaigns as (
    select
        utm_campaign,
        min(campaign_id) as campaign_id
    from {{ ref('stg_marketing__campaigns') }}
    where utm_campaign is not null
    group by utm_campaign
),

first_touches as (
    select
        leads.lead_id,
        leads.lead_source,
        case
            when coalesce(leads.utm_source, leads.utm_medium, leads.utm_campaign) is not null then 'lead_utm'
            when first_sessions.session_key is not null then 'first_session'
            else 'none'
        end as touch_source,
        first_sessions.session_key as first_session_key,
        first_sessions.started_at as first_session_started_at
    from leads
    left join visitors
        on leads.lead_id = visitors.lead_id
    left join first_sessions
        on visitors.anonymous_id = first_sessions.anonymous_id
),

touch_values as (
    select
        first_touches.lead_id,
        first_touches.lead_source,
        first_touches.touch_source,
        first_touches.first_session_key,
        first_touches.first_session_started_at,
        case when first_touches.touch_source = 'lead_utm' then leads.utm_source else sessions.utm_source end
            as utm_source,
        case when first_touches.touch_source = 'lead_utm' then leads.utm_medium else sessions.utm_medium end
            as utm_medium,
        case when first_touches.touch_source = 'lead_utm' then leads.utm_campaign else sessions.utm_campaign end
            as utm_campaign,
        case when first_touches.touch_source = 'first_session' then sessions.referrer_host end as referrer_host
    from first_touches
    inner join leads
        on first_touches.lead_id = leads.lead_id
    left join first_sessions as sessions
        on first_touches.first_session_key = sessions.session_key
),

channels as (
    {{ assign_channel('touch_values', 'lead_id') }}
),

final as (
    select
        touch_values.lead_id,
        touch_values.touch_source,
        touch_values.first_session_key,
        touch_values.first_session_started_at,
        touch_values.utm_source,
        touch_values.utm_medium,
        touch_values.utm_campaign,
        touch_values.referrer_host,
        channels.channel,
        campaigns.campaign_id
    from touch_values
    inner join channels
        on touch_values.lead_id = channels.lead_id
    left join campaigns
        on touch_values.utm_campaign = campaigns.utm_campaign
)

select * from final
