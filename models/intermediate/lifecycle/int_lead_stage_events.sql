{#
    Every time a live lead entered a lifecycle stage, from the three places
    that record it (docs/raw_contract.md, crm_lead_stage_changes): the CRM stage
    log (lead, mql, sql, nurture, disqualified), deal creation (opportunity)
    and won deals (customer).  A lead cannot enter a stage before it exists,
    so an entry dated before the lead's creation is taken at the creation.
    Logs arrive out of order: "earlier" is always decided on entered_at.
#}

with

leads as (
    select * from {{ ref('int_leads') }}
),

stage_changes as (
    select * from {{ ref('stg_crm__lead_stage_changes') }}
),

deals as (
    select * from {{ ref('int_deals') }}
),

logged_entries as (
    -- the inner join keeps live leads only: a deleted lead takes its log along
    select
        stage_changes.lead_id,
        stage_changes.stage,
        stage_changes.changed_at as recorded_at,
        'crm_stage_log' as source,  -- noqa: RF04
        stage_changes.change_id as source_id
    from stage_changes
    inner join leads
        on stage_changes.lead_id = leads.lead_id
),

created_entries as (
    -- the CRM writes a lead entry at creation; where it is missing the lead
    -- still entered the funnel when it was created
    select
        leads.lead_id,
        'lead' as stage,  -- noqa: RF04
        leads.created_at as recorded_at,
        'lead_created' as source,  -- noqa: RF04
        leads.lead_id as source_id
    from leads
    where not exists (
        select 1
        from logged_entries
        where
            logged_entries.lead_id = leads.lead_id
            and logged_entries.stage = 'lead'
    )
),

opportunity_entries as (
    select
        deals.lead_id,
        'opportunity' as stage,  -- noqa: RF04
        deals.created_at as recorded_at,
        'deal_created' as source,  -- noqa: RF04
        deals.deal_id as source_id
    from deals
    where deals.has_live_lead
),

customer_entries as (
    -- is_won already requires stage closed_won and a valid closed_at
    select
        deals.lead_id,
        'customer' as stage,  -- noqa: RF04
        deals.closed_at as recorded_at,
        'deal_won' as source,  -- noqa: RF04
        deals.deal_id as source_id
    from deals
    where
        deals.has_live_lead
        and deals.is_won
),

all_entries as (
    select * from logged_entries
    union all
    select * from created_entries
    union all
    select * from opportunity_entries
    union all
    select * from customer_entries
),

entries_from_creation as (
    select
        all_entries.lead_id,
        all_entries.stage,
        case
            when all_entries.recorded_at < leads.created_at then leads.created_at
            else all_entries.recorded_at
        end as entered_at,
        all_entries.recorded_at,
        all_entries.recorded_at < leads.created_at as is_dated_before_creation,
        all_entries.source,
        all_entries.source_id,
        leads.created_at as lead_created_at
    from all_entries
    inner join leads
        on all_entries.lead_id = leads.lead_id
),

final as (
    select
        entries_from_creation.lead_id,
        entries_from_creation.stage,
        entries_from_creation.entered_at,
        entries_from_creation.recorded_at,
        entries_from_creation.is_dated_before_creation,
        entries_from_creation.source,
        entries_from_creation.source_id,
        entries_from_creation.lead_created_at,
        -- ties at the same instant are broken by source and id so reruns agree
        row_number() over (
            partition by entries_from_creation.lead_id, entries_from_creation.stage
            order by
                entries_from_creation.entered_at,
                entries_from_creation.source,
                entries_from_creation.source_id
        ) > 1 as is_repeat
    from entries_from_creation
)

select * from final
