{%- set text = raw_sql_type('varchar') -%}

with leads as (
    select * from {{ vendor_source('salesforce', 'lead') }}
    where {{ salesforce_is_current('lead') }}
),

final as (
    select
        cast(leads.id as {{ text }}) as lead_id,
        cast(leads.created_date as {{ raw_sql_type('timestamp') }}) as created_at,
        cast(leads.last_modified_date as {{ raw_sql_type('timestamp') }}) as updated_at,
        cast(leads.email as {{ text }}) as email,
        cast(leads.first_name as {{ text }}) as first_name,
        cast(leads.last_name as {{ text }}) as last_name,
        cast(leads.title as {{ text }}) as job_title,
        cast(leads.company as {{ text }}) as company_name,
        cast(leads.website as {{ text }}) as company_domain,
        -- a converted lead belongs to the account it was converted into; before
        -- that, to the account the lead-to-account matching wrote on it
        cast(coalesce(leads.converted_account_id, leads.matched_account_id__c) as {{ text }}) as account_id,
        cast(leads.country_code as {{ text }}) as country_code,
        cast(leads.industry as {{ text }}) as industry,
        cast(leads.number_of_employees as {{ raw_sql_type('integer') }}) as employee_count,
        -- the picklist value as entered: staging normalises spellings as for the contract
        cast(leads.lead_source as {{ text }}) as lead_source,
        cast(leads.utm_source__c as {{ text }}) as utm_source,
        cast(leads.utm_medium__c as {{ text }}) as utm_medium,
        cast(leads.utm_campaign__c as {{ text }}) as utm_campaign,
        cast(leads.referred_by_user_id__c as {{ text }}) as referred_by_user_id,
        -- a lead waiting in a queue (id prefix 00G) has no person as owner yet
        cast(case when leads.owner_id not like '00G%' then leads.owner_id end as {{ text }}) as owner_id,
        -- deleted leads, merged duplicates among them, stay as rows flagged deleted
        cast(leads.is_deleted as {{ raw_sql_type('boolean') }}) as is_deleted,
        cast(leads._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from leads
)

select * from final
