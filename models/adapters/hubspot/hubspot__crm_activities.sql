{#
    crm_activities from HubSpot's engagements: the sales touches among them
    (calls, emails both ways, meetings, LinkedIn messages); notes, tasks and
    other communication channels are no touch of the contract and are left
    out, as are cancelled meetings, which never happened.
#}
with

engagements as (
    select * from {{ vendor_source('hubspot', 'engagement') }}
),

calls as (
    select * from {{ vendor_source('hubspot', 'engagement_call') }}
),

meetings as (
    select * from {{ vendor_source('hubspot', 'engagement_meeting') }}
),

emails as (
    select * from {{ vendor_source('hubspot', 'engagement_email') }}
),

communications as (
    select * from {{ vendor_source('hubspot', 'engagement_communication') }}
),

engagement_contacts as (
    select * from {{ vendor_source('hubspot', 'engagement_contact') }}
),

engagement_deals as (
    select * from {{ vendor_source('hubspot', 'engagement_deal') }}
),

contact_merges as (
    select * from {{ ref('hubspot__contact_merges') }}
),

activity_leads as (
    -- a touch logged on a contact later merged away belongs to the survivor; the contract holds one lead a touch
    select
        {{ hubspot_id('engagement_contacts.engagement_id') }} as engagement_id,
        min({{ hubspot_surviving_contact('engagement_contacts.contact_id') }}) as lead_id
    from engagement_contacts
    left join contact_merges
        on {{ hubspot_id('engagement_contacts.contact_id') }} = contact_merges.vid_to_merge
    group by {{ hubspot_id('engagement_contacts.engagement_id') }}
),

activity_deals as (
    select
        {{ hubspot_id('engagement_deals.engagement_id') }} as engagement_id,
        min({{ hubspot_id('engagement_deals.deal_id') }}) as deal_id
    from engagement_deals
    group by {{ hubspot_id('engagement_deals.engagement_id') }}
),

touches as (
    select
        {{ hubspot_id('engagements.id') }} as activity_id,
        {{ hubspot_id('engagements.owner_id') }} as owner_id,
        engagements.timestamp as occurred_at,
        engagements._fivetran_synced,
        case
            when engagements.type = 'CALL' then 'call'
            when engagements.type in ('EMAIL', 'INCOMING_EMAIL') then 'email'
            when engagements.type = 'MEETING' then 'meeting'
            when communications.property_hs_communication_channel_type = 'LINKEDIN_MESSAGE' then 'linkedin'
        end as activity_type,
        case
            when engagements.type = 'CALL' then lower(calls.property_hs_call_direction)
            when engagements.type = 'INCOMING_EMAIL' or emails.property_hs_email_direction = 'INCOMING_EMAIL'
                then 'inbound'
            -- HubSpot keeps no direction for meetings and logged messages: we set them up, or wrote
            else 'outbound'
        end as direction,
        case
            -- HubSpot's default call outcomes, by their ids
            when calls.property_hs_call_disposition = 'f240bbac-87c9-4f6e-bf70-924b57d47db7' then 'connected'
            when calls.property_hs_call_disposition in (
                '73a0d17f-1163-4015-bdd5-ec830791da20',  -- no answer
                '9d9162e7-6cf3-4944-bf63-4dff82258764',  -- busy
                '17b47fee-58de-441e-a44c-c6300d46f273'   -- wrong number
            ) then 'no_answer'
            when calls.property_hs_call_disposition in (
                'b2cf5968-551e-4856-9783-52b3da59a7d0',  -- left voicemail
                'a4c4c377-d246-4b32-a13b-75a56a4cd0ff'   -- left live message
            ) then 'voicemail'
            when meetings.property_hs_meeting_outcome = 'COMPLETED' then 'attended'
            when meetings.property_hs_meeting_outcome = 'NO_SHOW' then 'no_show'
            when meetings.property_hs_meeting_outcome in ('SCHEDULED', 'RESCHEDULED') then 'scheduled'
            -- an email from the lead is an answer
            when engagements.type = 'INCOMING_EMAIL' or emails.property_hs_email_direction = 'INCOMING_EMAIL'
                then 'replied'
            when coalesce(emails.property_reply_received, communications.property_reply_received) then 'replied'
            when emails.property_hs_email_status = 'BOUNCED' then 'bounced'
            when engagements.type in ('EMAIL', 'COMMUNICATION') then 'sent'
        end as outcome,
        coalesce(meetings.property_hs_meeting_outcome = 'CANCELED', false) as is_cancelled
    from engagements
    left join calls
        on {{ hubspot_id('calls.engagement_id') }} = {{ hubspot_id('engagements.id') }}
    left join meetings
        on {{ hubspot_id('meetings.engagement_id') }} = {{ hubspot_id('engagements.id') }}
    left join emails
        on {{ hubspot_id('emails.engagement_id') }} = {{ hubspot_id('engagements.id') }}
    left join communications
        on {{ hubspot_id('communications.engagement_id') }} = {{ hubspot_id('engagements.id') }}
),

final as (
    select
        touches.activity_id,
        activity_leads.lead_id,
        activity_deals.deal_id,
        touches.owner_id,
        touches.activity_type,
        touches.direction,
        cast(touches.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        touches.outcome,
        cast(touches._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from touches
    left join activity_leads
        on touches.activity_id = activity_leads.engagement_id
    left join activity_deals
        on touches.activity_id = activity_deals.engagement_id
    where
        touches.activity_type is not null
        and not touches.is_cancelled
)

select * from final
