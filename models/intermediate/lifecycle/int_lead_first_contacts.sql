{#
    One row per live lead: its first contact, whether it engaged after it,
    and its first attended meeting (docs/kpis.md, "Sales activities").  Activities
    reach a lead through lead_id only; an activity with only a deal_id is no
    contact.  Anything before the lead's creation is ignored: it cannot be a
    response to the lead.
#}

with

leads as (
    select * from {{ ref('int_leads') }}
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
),

users as (
    select * from {{ ref('stg_crm__users') }}
),

lead_activities as (
    select
        activities.activity_id,
        activities.lead_id,
        activities.owner_id,
        activities.activity_type,
        activities.direction,
        activities.outcome,
        activities.occurred_at
    from activities
    inner join leads
        on activities.lead_id = leads.lead_id
    where activities.occurred_at >= leads.created_at
),

ranked_outbound as (
    -- two touches at the same instant: the lower activity_id is the first
    select
        lead_activities.lead_id,
        lead_activities.activity_id,
        lead_activities.owner_id,
        lead_activities.activity_type,
        lead_activities.occurred_at,
        row_number() over (
            partition by lead_activities.lead_id
            order by lead_activities.occurred_at, lead_activities.activity_id
        ) as contact_rank
    from lead_activities
    where lead_activities.direction = 'outbound'
),

first_contacts as (
    select
        ranked_outbound.lead_id,
        ranked_outbound.activity_id,
        ranked_outbound.owner_id,
        ranked_outbound.activity_type,
        ranked_outbound.occurred_at
    from ranked_outbound
    where ranked_outbound.contact_rank = 1
),

engagements as (
    -- both ends of the window are in, so the first contact's own outcome counts
    select
        first_contacts.lead_id,
        min(lead_activities.occurred_at) as first_engaged_at
    from first_contacts
    inner join lead_activities
        on
            first_contacts.lead_id = lead_activities.lead_id
            and first_contacts.occurred_at <= lead_activities.occurred_at
            and {{ dbt.dateadd('hour', number_var('engagement_window_hours'), 'first_contacts.occurred_at') }}
            >= lead_activities.occurred_at
    where
        lead_activities.outcome in ('replied', 'connected', 'attended')
        or lead_activities.direction = 'inbound'
    group by first_contacts.lead_id
),

first_meetings as (
    select
        lead_activities.lead_id,
        min(lead_activities.occurred_at) as first_meeting_at
    from lead_activities
    where
        lead_activities.activity_type = 'meeting'
        and lead_activities.outcome = 'attended'
    group by lead_activities.lead_id
),

final as (
    select
        leads.lead_id,
        leads.created_at,
        first_contacts.activity_id as first_contact_activity_id,
        first_contacts.occurred_at as first_contact_at,
        {{ month_of('first_contacts.occurred_at') }} as first_contact_month,
        first_contacts.activity_type as first_contact_type,
        first_contacts.owner_id as first_contact_owner_id,
        users.team as first_contact_owner_team,
        {{ elapsed_seconds('leads.created_at', 'first_contacts.occurred_at') }} / 60.0 as minutes_to_first_contact,
        -- null, not false, for a lead never contacted: the SLA has no contact to judge
        case
            when first_contacts.lead_id is not null
                then
                    {{ elapsed_seconds('leads.created_at', 'first_contacts.occurred_at') }} / 60.0
                    <= {{ number_var('contact_sla_minutes') }}
        end as is_within_sla,
        case
            when first_contacts.lead_id is not null then engagements.lead_id is not null
        end as is_engaged,
        engagements.first_engaged_at,
        first_meetings.first_meeting_at,
        {{ month_of('first_meetings.first_meeting_at') }} as first_meeting_month,
        {{ elapsed_seconds('leads.created_at', 'first_meetings.first_meeting_at') }} / 3600.0 as hours_to_first_meeting
    from leads
    left join first_contacts
        on leads.lead_id = first_contacts.lead_id
    left join users
        on first_contacts.owner_id = users.user_id
    left join engagements
        on leads.lead_id = engagements.lead_id
    left join first_meetings
        on leads.lead_id = first_meetings.lead_id
)

select * from final
