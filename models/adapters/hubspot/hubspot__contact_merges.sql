{#
    One row per HubSpot contact merged into another: the id merged away and
    the contact that survived (contact_merge_audit).  The adapter models
    read a merged-away id as its survivor (hubspot_surviving_contact), so
    what was logged on a duplicate stays with the one lead the contract keeps.
    Merges are followed one level: a survivor later merged again is not
    chased further.
#}
with

merge_audit as (
    select * from {{ vendor_source('hubspot', 'contact_merge_audit') }}
),

final as (
    select
        {{ hubspot_id('merge_audit.vid_to_merge') }} as vid_to_merge,
        min({{ hubspot_id('merge_audit.canonical_vid') }}) as canonical_vid
    from merge_audit
    -- a null id merges nothing; kept, it would turn the leads' not in into no rows at all
    where merge_audit.vid_to_merge is not null
    group by {{ hubspot_id('merge_audit.vid_to_merge') }}
)

select * from final
