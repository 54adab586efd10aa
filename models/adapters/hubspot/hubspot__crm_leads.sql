{#
    crm_leads from HubSpot's contacts.  A contact merged into another is no
    lead of its own: it is left out here, and what was logged on it is read
    as the surviving contact's (the other hubspot__ models).  A contact
    deleted in HubSpot (_fivetran_deleted) is a soft-deleted lead.
#}
with

contacts as (
    select * from {{ vendor_source('hubspot', 'contact') }}
),

contact_merges as (
    select * from {{ ref('hubspot__contact_merges') }}
),

final as (
    select
        {{ hubspot_id('contacts.id') }} as lead_id,
        cast(contacts.property_createdate as {{ dbt.type_timestamp() }}) as created_at,
        cast(contacts.property_lastmodifieddate as {{ dbt.type_timestamp() }}) as updated_at,
        contacts.property_email as email,
        contacts.property_firstname as first_name,
        contacts.property_lastname as last_name,
        contacts.property_jobtitle as job_title,
        contacts.property_company as company_name,
        contacts.property_website as company_domain,
        {{ hubspot_id('contacts.property_associatedcompanyid') }} as account_id,
        contacts.property_country as country_code,
        contacts.property_industry as industry,
        -- custom properties of this portal (HubSpot's own numemployees is a range, not a count)
        cast(contacts.property_employee_count as {{ dbt.type_int() }}) as employee_count,
        contacts.property_lead_source as lead_source,
        contacts.property_utm_source as utm_source,
        contacts.property_utm_medium as utm_medium,
        contacts.property_utm_campaign as utm_campaign,
        contacts.property_referred_by_user_id as referred_by_user_id,
        {{ hubspot_id('contacts.property_hubspot_owner_id') }} as owner_id,
        coalesce(cast(contacts._fivetran_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast(contacts._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from contacts
    where {{ hubspot_id('contacts.id') }} not in (select contact_merges.vid_to_merge from contact_merges)
)

select * from final
