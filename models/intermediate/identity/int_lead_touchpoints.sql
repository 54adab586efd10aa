{#
    Every marketing touch of a live lead, whenever it happened (docs/kpis.md,
    "Attribution"); fct_touchpoints keeps those before each conversion point
    and inside the lookback window.

      - web_session: each human session of the lead's visitor (int_lead_visitors),
        at its start, with the session's channel and campaign (int_web__sessions);
      - email_click: each clicked event of an email that names the lead, channel
        email, campaign the email's campaign;
      - lead_record: the lead itself at its creation, with the channel and
        campaign of today's first-touch attribution (int_lead_attribution: its
        own UTMs, else its visitor's first session, else its lead source).
        It is the first touch of the first_touch model, and the touch of a
        path that has nothing else.

    touch_type_order breaks ties of the same instant: web sessions, then email
    clicks, then the lead record; then touchpoint_id.
#}

with

leads as (
    select
        lead_id,
        created_at
    from {{ ref('int_leads') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

visitors as (
    select
        lead_id,
        anonymous_id
    from {{ ref('int_lead_visitors') }}
),

sessions as (
    select * from {{ ref('int_web__sessions') }}
),

email_clicks as (
    select
        event_id,
        lead_id,
        campaign_id,
        occurred_at
    from {{ ref('stg_email__events') }}
    where
        event_type = 'clicked'
        and lead_id is not null
),

session_touches as (
    select
        {{ dbt.concat(["'session:'", 'sessions.session_key']) }} as touchpoint_id,
        visitors.lead_id,
        'web_session' as touch_type,
        1 as touch_type_order,
        sessions.started_at as touched_at,
        sessions.channel,
        sessions.campaign_id
    from visitors
    inner join sessions
        on visitors.anonymous_id = sessions.anonymous_id
),

email_touches as (
    select
        {{ dbt.concat(["'email_click:'", 'email_clicks.event_id']) }} as touchpoint_id,
        leads.lead_id,
        'email_click' as touch_type,
        2 as touch_type_order,
        email_clicks.occurred_at as touched_at,
        'email' as channel,
        email_clicks.campaign_id
    from email_clicks
    inner join leads
        on email_clicks.lead_id = leads.lead_id
),

lead_touches as (
    select
        {{ dbt.concat(["'lead:'", 'leads.lead_id']) }} as touchpoint_id,
        leads.lead_id,
        'lead_record' as touch_type,
        3 as touch_type_order,
        leads.created_at as touched_at,
        attribution.channel,
        attribution.campaign_id
    from leads
    inner join attribution
        on leads.lead_id = attribution.lead_id
),

final as (
    select
        touchpoint_id,
        lead_id,
        touch_type,
        touch_type_order,
        touched_at,
        channel,
        campaign_id
    from session_touches
    union all
    select
        touchpoint_id,
        lead_id,
        touch_type,
        touch_type_order,
        touched_at,
        channel,
        campaign_id
    from email_touches
    union all
    select
        touchpoint_id,
        lead_id,
        touch_type,
        touch_type_order,
        touched_at,
        channel,
        campaign_id
    from lead_touches
)

select * from final
