{#
    crm_lead_assignments from contact_property_history: each change of
    hubspot_owner_id to an owner is an assignment.  The routing rule is the
    workflow that made the change (source AUTOMATION_PLATFORM: this portal
    names its routing workflows territory, segment and round_robin); any
    other change (CRM_UI, import, API) is manual.  A cleared owner is no
    assignment.
#}
with

history as (
    select * from {{ vendor_source('hubspot', 'contact_property_history') }}
),

contact_merges as (
    select * from {{ ref('hubspot__contact_merges') }}
),

owner_changes as (
    select history.* from history
    where
        history.name = 'hubspot_owner_id'
        and nullif(trim(history.value), '') is not null
),

final as (
    select
        {{ dbt.concat([
            hubspot_id('owner_changes.contact_id'), "'|'", 'owner_changes.name', "'|'", 'owner_changes.value', "'|'",
            'cast(owner_changes.timestamp as ' ~ dbt.type_string() ~ ')'
        ]) }} as assignment_id,
        {{ hubspot_surviving_contact('owner_changes.contact_id') }} as lead_id,
        trim(owner_changes.value) as owner_id,
        cast(owner_changes.timestamp as {{ dbt.type_timestamp() }}) as assigned_at,
        case
            when owner_changes.source = 'AUTOMATION_PLATFORM' then owner_changes.source_id
            else 'manual'
        end as rule,  -- noqa: RF04
        cast(owner_changes._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from owner_changes
    left join contact_merges
        on {{ hubspot_id('owner_changes.contact_id') }} = contact_merges.vid_to_merge
)

select * from final
