{#
    Median exact hours from a lead's creation to its first attended meeting
    (type meeting, outcome attended, at or after creation), over the leads
    whose first attended meeting falls in the month (docs/kpis.md, "Sales
    activities").  Leads that never met are in no month.
#}

with

first_contacts as (
    select * from {{ ref('int_lead_first_contacts') }}
),

attribution as (
    select * from {{ ref('int_lead_attribution') }}
),

units as (
    -- a left join: a lead without attribution still counts, under 'unknown'
    select
        first_contacts.first_meeting_month as period_month,
        attribution.channel,
        first_contacts.hours_to_first_meeting as measure
    from first_contacts
    left join attribution
        on first_contacts.lead_id = attribution.lead_id
    where first_contacts.first_meeting_at is not null
),

final as (
    {{ kpi_series('units', 'median', ['channel']) }}
)

select * from final
