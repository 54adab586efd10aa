{#
    crm_deals from HubSpot's deals.  The stage is the label of the deal's
    pipeline stage ('Closed Won' reads closed_won); the lead is the contact
    associated with the deal (the survivor, if it was merged), the account
    the associated company.  HubSpot's closedate is the expected close date
    while a deal is open and the close once it closes (hs_is_closed): so a
    closed deal's expected close date is its close date.  An archived deal
    (is_deleted) is a soft delete.
#}
with

deals as (
    select * from {{ vendor_source('hubspot', 'deal') }}
),

stages as (
    select * from {{ vendor_source('hubspot', 'deal_pipeline_stage') }}
),

deal_contacts as (
    select * from {{ vendor_source('hubspot', 'deal_contact') }}
),

deal_companies as (
    select * from {{ vendor_source('hubspot', 'deal_company') }}
),

contact_merges as (
    select * from {{ ref('hubspot__contact_merges') }}
),

deal_leads as (
    select
        {{ hubspot_id('deal_contacts.deal_id') }} as deal_id,
        min({{ hubspot_surviving_contact('deal_contacts.contact_id') }}) as lead_id
    from deal_contacts
    left join contact_merges
        on {{ hubspot_id('deal_contacts.contact_id') }} = contact_merges.vid_to_merge
    group by {{ hubspot_id('deal_contacts.deal_id') }}
),

deal_accounts as (
    select
        {{ hubspot_id('deal_companies.deal_id') }} as deal_id,
        min({{ hubspot_id('deal_companies.company_id') }}) as account_id
    from deal_companies
    group by {{ hubspot_id('deal_companies.deal_id') }}
),

stage_names as (
    select
        {{ hubspot_id('stages.pipeline_id') }} as pipeline_id,
        {{ hubspot_id('stages.stage_id') }} as stage_id,
        replace(lower(trim(stages.label)), ' ', '_') as stage  -- noqa: RF04
    from stages
),

final as (
    select
        {{ hubspot_id('deals.deal_id') }} as deal_id,
        deal_leads.lead_id,
        deal_accounts.account_id,
        {{ hubspot_id('deals.owner_id') }} as owner_id,
        deals.property_dealname as deal_name,
        case deals.property_dealtype
            when 'newbusiness' then 'new_business'
            when 'existingbusiness' then 'expansion'
            else deals.property_dealtype
        end as deal_type,
        cast(deals.property_createdate as {{ dbt.type_timestamp() }}) as created_at,
        stage_names.stage,
        cast(deals.property_amount as decimal(18, 2)) as amount,
        deals.property_deal_currency_code as currency_code,
        cast(deals.property_closedate as date) as expected_close_date,
        case
            when deals.property_hs_is_closed then cast(deals.property_closedate as {{ dbt.type_timestamp() }})
        end as closed_at,
        coalesce(cast(deals.is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast(deals._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from deals
    left join deal_leads
        on {{ hubspot_id('deals.deal_id') }} = deal_leads.deal_id
    left join deal_accounts
        on {{ hubspot_id('deals.deal_id') }} = deal_accounts.deal_id
    left join stage_names
        on
            {{ hubspot_id('deals.deal_pipeline_id') }} = stage_names.pipeline_id
            and {{ hubspot_id('deals.deal_pipeline_stage_id') }} = stage_names.stage_id
)

select * from final
