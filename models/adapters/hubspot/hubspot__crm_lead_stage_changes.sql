{#
    crm_lead_stage_changes from contact_property_history.  lead, mql and sql
    are lifecycle stages in HubSpot (lifecyclestage); nurture and
    disqualified are not, so they are lead statuses (hs_lead_status
    BAD_TIMING and UNQUALIFIED).  Other values are no stage of the contract's
    log: opportunity and customer come from deals, subscriber, evangelist,
    other and the remaining lead statuses (NEW, OPEN, ...) are left out.
    HubSpot keeps no id per change: the contact, property, value and moment
    make one.
#}
with

history as (
    select * from {{ vendor_source('hubspot', 'contact_property_history') }}
),

contact_merges as (
    select * from {{ ref('hubspot__contact_merges') }}
),

stage_changes as (
    select
        history.*,
        case
            when history.name = 'lifecyclestage' and history.value = 'lead' then 'lead'
            when history.name = 'lifecyclestage' and history.value = 'marketingqualifiedlead' then 'mql'
            when history.name = 'lifecyclestage' and history.value = 'salesqualifiedlead' then 'sql'
            when history.name = 'hs_lead_status' and history.value = 'BAD_TIMING' then 'nurture'
            when history.name = 'hs_lead_status' and history.value = 'UNQUALIFIED' then 'disqualified'
        end as stage  -- noqa: RF04
    from history
    where history.name in ('lifecyclestage', 'hs_lead_status')
),

final as (
    select
        {{ dbt.concat([
            hubspot_id('stage_changes.contact_id'), "'|'", 'stage_changes.name', "'|'", 'stage_changes.value', "'|'",
            'cast(stage_changes.timestamp as ' ~ dbt.type_string() ~ ')'
        ]) }} as change_id,
        {{ hubspot_surviving_contact('stage_changes.contact_id') }} as lead_id,
        stage_changes.stage,
        cast(stage_changes.timestamp as {{ dbt.type_timestamp() }}) as changed_at,
        cast(stage_changes._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from stage_changes
    left join contact_merges
        on {{ hubspot_id('stage_changes.contact_id') }} = contact_merges.vid_to_merge
    where stage_changes.stage is not null
)

select * from final
