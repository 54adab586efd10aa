{#
    One row per (campaign, recipient) that a campaign reached, with what the
    recipient did (docs/kpis.md, "Email"): a recipient is the trimmed, lower-cased
    address; a pair is delivered when it has a delivered event; opens and
    unsubscribes count once per pair, however often they repeat.  A
    campaign's month is that of its first sent event, and a campaign never
    sent has no row.  Events about a lead that is deleted or an internal test
    record leave with the lead.
#}

with

email_events as (
    select * from {{ ref('stg_email__events') }}
),

live_leads as (
    select lead_id from {{ ref('int_leads') }}
),

counted_events as (
    select
        email_events.campaign_id,
        email_events.recipient_key,
        email_events.lead_id,
        email_events.event_type,
        email_events.occurred_at
    from email_events
    where
        email_events.campaign_id is not null
        and email_events.recipient_key is not null
        and (
            email_events.lead_id is null
            or email_events.lead_id in (select live_leads.lead_id from live_leads)
        )
),

first_sends as (
    select
        campaign_id,
        min(occurred_at) as first_sent_at
    from counted_events
    where event_type = 'sent'
    group by campaign_id
),

pairs as (
    select
        campaign_id,
        recipient_key,
        max(lead_id) as lead_id,
        max(case when event_type = 'delivered' then 1 else 0 end) = 1 as is_delivered,
        max(case when event_type = 'opened' then 1 else 0 end) = 1 as has_opened,
        max(case when event_type = 'clicked' then 1 else 0 end) = 1 as has_clicked,
        max(case when event_type = 'unsubscribed' then 1 else 0 end) = 1 as has_unsubscribed,
        max(case when event_type = 'bounced' then 1 else 0 end) = 1 as has_bounced
    from counted_events
    group by campaign_id, recipient_key
),

final as (
    select
        pairs.campaign_id,
        pairs.recipient_key,
        pairs.lead_id,
        first_sends.first_sent_at,
        {{ month_of('first_sends.first_sent_at') }} as first_send_month,
        pairs.is_delivered,
        pairs.has_opened,
        pairs.has_clicked,
        pairs.has_unsubscribed,
        pairs.has_bounced
    from pairs
    inner join first_sends
        on pairs.campaign_id = first_sends.campaign_id
)

select * from final
