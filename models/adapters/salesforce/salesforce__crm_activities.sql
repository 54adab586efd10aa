{%- set text = raw_sql_type('varchar') -%}

with tasks as (
    select * from {{ vendor_source('salesforce', 'task') }}
),

events as (
    select * from {{ vendor_source('salesforce', 'event') }}
),

leads as (
    select * from {{ vendor_source('salesforce', 'lead') }}
    where {{ salesforce_is_current('lead') }}
),

opportunities as (
    select * from {{ vendor_source('salesforce', 'opportunity') }}
    where {{ salesforce_is_current('opportunity') }}
),

touches as (
    -- calls, emails and LinkedIn messages are tasks; the direction and outcome
    -- of a call are its call type and disposition, those of other tasks the
    -- custom fields a sales engagement tool writes.  The contract has no
    -- deleted activities: a task deleted in Salesforce was never a touch.
    select
        tasks.id,
        tasks.who_id,
        tasks.what_id,
        tasks.owner_id,
        lower(trim(tasks.type)) as activity_type,
        lower(trim(coalesce(tasks.call_type, tasks.direction__c))) as direction,
        cast(coalesce(tasks.completed_date_time, tasks.activity_date) as {{ raw_sql_type('timestamp') }})
            as occurred_at,
        coalesce(tasks.call_disposition, tasks.outcome__c) as outcome,
        tasks._fivetran_synced
    from tasks
    where not coalesce(tasks.is_deleted, false)

    union all

    -- meetings are events, placed at their scheduled start
    select
        events.id,
        events.who_id,
        events.what_id,
        events.owner_id,
        'meeting' as activity_type,
        lower(trim(events.direction__c)) as direction,
        cast(events.start_date_time as {{ raw_sql_type('timestamp') }}) as occurred_at,
        events.outcome__c as outcome,
        events._fivetran_synced
    from events
    where not coalesce(events.is_deleted, false)
),

lead_contacts as (
    -- a converted lead lives on as a contact: touches of that contact are the lead's
    select
        leads.converted_contact_id as contact_id,
        min(leads.id) as lead_id
    from leads
    where leads.converted_contact_id is not null
    group by leads.converted_contact_id
),

final as (
    select
        cast(touches.id as {{ text }}) as activity_id,
        cast(coalesce(leads.id, lead_contacts.lead_id) as {{ text }}) as lead_id,
        -- what_id may point at any object (an account, a campaign): only an opportunity is a deal
        cast(opportunities.id as {{ text }}) as deal_id,
        cast(touches.owner_id as {{ text }}) as owner_id,
        cast(touches.activity_type as {{ text }}) as activity_type,
        cast(touches.direction as {{ text }}) as direction,
        cast(touches.occurred_at as {{ raw_sql_type('timestamp') }}) as occurred_at,
        cast(touches.outcome as {{ text }}) as outcome,
        cast(touches._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from touches
    left join leads
        on touches.who_id = leads.id
    left join lead_contacts
        on touches.who_id = lead_contacts.contact_id
    left join opportunities
        on touches.what_id = opportunities.id
)

select * from final
