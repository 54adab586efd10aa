{#
    A lead's visitor (docs/kpis.md, "Precise readings"): the anonymous_id of the
    earliest web event that carries the lead's id.  Leads that never came
    through the website have no row.
#}

with

leads as (
    select lead_id from {{ ref('int_leads') }}
),

lead_events as (
    select
        events.lead_id,
        events.anonymous_id,
        events.occurred_at,
        events.event_id,
        row_number() over (
            partition by events.lead_id order by events.occurred_at, events.event_id
        ) as event_rank
    from {{ ref('stg_web__events') }} as events
    where events.lead_id is not null and events.anonymous_id is not null
),

final as (
    select
        leads.lead_id,
        lead_events.anonymous_id,
        lead_events.occurred_at as converted_at,
        lead_events.event_id as conversion_event_id
    from leads
    inner join lead_events
        on leads.lead_id = lead_events.lead_id and lead_events.event_rank = 1
)

select * from final
