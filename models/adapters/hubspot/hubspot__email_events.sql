{#
    email_events from HubSpot's marketing email events.  HubSpot's event
    types map onto the contract's; an unsubscribe is a STATUSCHANGE whose
    recipient moved to UNSUBSCRIBED.  Other events (processed, deferred,
    dropped, forwarded, printed, re-subscribed) are none of the contract's
    and are left out.  The campaign is the marketing campaign
    (marketing_campaigns, still read from the raw contract) whose name is the
    HubSpot email's name; the lead is the contact (merged ones aside) whose
    email, trimmed and lower-cased, is the recipient's: HubSpot keeps no
    contact id on an email event.
#}
with

email_events as (
    select * from {{ vendor_source('hubspot', 'email_event') }}
),

status_changes as (
    select * from {{ vendor_source('hubspot', 'email_event_status_change') }}
),

email_campaigns as (
    select * from {{ vendor_source('hubspot', 'email_campaign') }}
),

marketing_campaigns as (
    select landed.* from {{ raw_table('marketing', 'marketing_campaigns') }} as landed
),

contacts as (
    select * from {{ vendor_source('hubspot', 'contact') }}
),

contact_merges as (
    select * from {{ ref('hubspot__contact_merges') }}
),

campaign_ids as (
    -- a name is meant to be unique; if two campaigns share one, the first id
    select
        lower(trim(marketing_campaigns.campaign_name)) as campaign_name,
        min(marketing_campaigns.campaign_id) as campaign_id
    from marketing_campaigns
    group by lower(trim(marketing_campaigns.campaign_name))
),

email_campaign_ids as (
    select
        {{ hubspot_id('email_campaigns.id') }} as email_campaign_id,
        campaign_ids.campaign_id
    from email_campaigns
    inner join campaign_ids
        on lower(trim(email_campaigns.name)) = campaign_ids.campaign_name
),

contact_emails as (
    -- HubSpot holds an address on one contact; should two share one, the first id
    select
        lower(trim(contacts.property_email)) as email,
        min({{ hubspot_id('contacts.id') }}) as lead_id
    from contacts
    where
        {{ hubspot_id('contacts.id') }} not in (select contact_merges.vid_to_merge from contact_merges)
        and nullif(trim(contacts.property_email), '') is not null
    group by lower(trim(contacts.property_email))
),

typed_events as (
    select
        email_events.*,
        case
            when email_events.type = 'SENT' then 'sent'
            when email_events.type = 'DELIVERED' then 'delivered'
            when email_events.type = 'BOUNCE' then 'bounced'
            when email_events.type = 'OPEN' then 'opened'
            when email_events.type = 'CLICK' then 'clicked'
            when email_events.type = 'SPAMREPORT' then 'complained'
            when email_events.type = 'STATUSCHANGE' and status_changes.portal_subscription_status = 'UNSUBSCRIBED'
                then 'unsubscribed'
        end as event_type
    from email_events
    left join status_changes
        on {{ hubspot_id('email_events.id') }} = {{ hubspot_id('status_changes.id') }}
),

final as (
    select
        {{ hubspot_id('typed_events.id') }} as event_id,
        email_campaign_ids.campaign_id,
        typed_events.recipient as recipient_email,
        contact_emails.lead_id,
        typed_events.event_type,
        cast(typed_events.created as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(typed_events._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from typed_events
    left join email_campaign_ids
        on {{ hubspot_id('typed_events.email_campaign_id') }} = email_campaign_ids.email_campaign_id
    left join contact_emails
        on lower(trim(typed_events.recipient)) = contact_emails.email
    where typed_events.event_type is not null
)

select * from final
