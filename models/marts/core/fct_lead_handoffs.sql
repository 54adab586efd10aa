{#
    One row per change of owner of a live lead, from the CRM routing log:
    who had it, who got it, which kind of handoff that was, and how soon the
    new owner reached out.  An assignment to the lead's current owner changes
    nothing and is left out, so every row after the first of a lead has a
    different previous owner.
#}

with

leads as (
    select * from {{ ref('int_leads') }}
),

assignments as (
    select * from {{ ref('stg_crm__lead_assignments') }}
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
),

users as (
    select * from {{ ref('stg_crm__users') }}
),

ordered_assignments as (
    -- two assignments at the same instant: the lower assignment_id came first
    select
        assignments.assignment_id,
        assignments.lead_id,
        assignments.owner_id,
        assignments.assigned_at,
        assignments.assignment_rule,
        lag(assignments.owner_id) over (
            partition by assignments.lead_id
            order by assignments.assigned_at, assignments.assignment_id
        ) as previous_owner_id
    from assignments
    inner join leads
        on assignments.lead_id = leads.lead_id
),

ownership_changes as (
    -- a dropped repeat has the same owner as the row before it, so the lag
    -- above already names the previous *different* owner of every kept row
    select
        ordered_assignments.assignment_id,
        ordered_assignments.lead_id,
        ordered_assignments.owner_id,
        ordered_assignments.assigned_at,
        ordered_assignments.assignment_rule,
        ordered_assignments.previous_owner_id,
        row_number() over (
            partition by ordered_assignments.lead_id
            order by ordered_assignments.assigned_at, ordered_assignments.assignment_id
        ) as handoff_number,
        lead(ordered_assignments.assigned_at) over (
            partition by ordered_assignments.lead_id
            order by ordered_assignments.assigned_at, ordered_assignments.assignment_id
        ) as owned_until
    from ordered_assignments
    where
        ordered_assignments.previous_owner_id is null
        or ordered_assignments.previous_owner_id != ordered_assignments.owner_id
),

new_owner_contacts as (
    select
        ownership_changes.assignment_id,
        activities.activity_id,
        activities.occurred_at,
        row_number() over (
            partition by ownership_changes.assignment_id
            order by activities.occurred_at, activities.activity_id
        ) as contact_rank
    from ownership_changes
    inner join activities
        on
            ownership_changes.lead_id = activities.lead_id
            and ownership_changes.owner_id = activities.owner_id
            and ownership_changes.assigned_at <= activities.occurred_at
    where activities.direction = 'outbound'
),

handoffs as (
    select
        ownership_changes.assignment_id,
        ownership_changes.lead_id,
        ownership_changes.handoff_number,
        ownership_changes.assigned_at,
        ownership_changes.assignment_rule,
        ownership_changes.previous_owner_id,
        previous_owners.team as previous_owner_team,
        ownership_changes.owner_id as new_owner_id,
        new_owners.team as new_owner_team,
        ownership_changes.owned_until,
        new_owner_contacts.activity_id as new_owner_contact_activity_id,
        new_owner_contacts.occurred_at as new_owner_contact_at
    from ownership_changes
    left join users as previous_owners
        on ownership_changes.previous_owner_id = previous_owners.user_id
    left join users as new_owners
        on ownership_changes.owner_id = new_owners.user_id
    left join new_owner_contacts
        on
            ownership_changes.assignment_id = new_owner_contacts.assignment_id
            and new_owner_contacts.contact_rank = 1
),

final as (
    select
        handoffs.assignment_id,
        handoffs.lead_id,
        handoffs.handoff_number,
        handoffs.assigned_at,
        {{ month_of('handoffs.assigned_at') }} as assigned_month,
        handoffs.assignment_rule,
        handoffs.previous_owner_id,
        handoffs.previous_owner_team,
        handoffs.new_owner_id,
        handoffs.new_owner_team,
        -- the documents' handoffs go marketing -> SDR -> AE; anything else
        -- (same team, back from an AE other than to an SDR, unknown team) is a reassignment
        case
            when handoffs.previous_owner_id is null then 'initial_assignment'
            when handoffs.previous_owner_team = 'marketing' and handoffs.new_owner_team = 'sdr' then 'marketing_to_sdr'
            when handoffs.previous_owner_team = 'marketing' and handoffs.new_owner_team = 'ae' then 'marketing_to_ae'
            when handoffs.previous_owner_team = 'sdr' and handoffs.new_owner_team = 'ae' then 'sdr_to_ae'
            when handoffs.previous_owner_team = 'ae' and handoffs.new_owner_team = 'sdr' then 'ae_to_sdr'
            else 'reassignment'
        end as handoff_type,
        handoffs.owned_until,
        handoffs.owned_until is null as is_current_owner,
        handoffs.new_owner_contact_activity_id,
        handoffs.new_owner_contact_at,
        {{ elapsed_seconds('handoffs.assigned_at', 'handoffs.new_owner_contact_at') }} / 60.0
            as minutes_to_new_owner_contact,
        -- null, not false, while the new owner has not reached out
        case
            when handoffs.new_owner_contact_at is not null
                then
                    {{ elapsed_seconds('handoffs.assigned_at', 'handoffs.new_owner_contact_at') }} / 60.0
                    <= {{ number_var('contact_sla_minutes') }}
        end as is_within_sla
    from handoffs
)

select * from final
