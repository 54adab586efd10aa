{%- set text = raw_sql_type('varchar') -%}

with campaigns as (
    select * from {{ vendor_source('salesforce', 'campaign') }}
),

final as (
    -- the contract has no deleted campaigns: one deleted in Salesforce is left out
    select
        cast(campaigns.id as {{ text }}) as campaign_id,
        cast(campaigns.name as {{ text }}) as campaign_name,
        -- the campaign Type picklist holds the channel
        cast(replace(lower(trim(campaigns.type)), ' ', '_') as {{ text }}) as channel,
        -- a campaign run on no ad platform leaves the custom field empty
        cast(coalesce(replace(lower(trim(campaigns.ad_platform__c)), ' ', '_'), 'none') as {{ text }}) as platform,
        cast(campaigns.utm_campaign__c as {{ text }}) as utm_campaign,
        cast(campaigns.start_date as date) as start_date,
        cast(campaigns.end_date as date) as end_date,
        cast(campaigns.budgeted_cost as {{ raw_sql_type('decimal(18,2)') }}) as budget,
        cast(campaigns.currency_iso_code as {{ text }}) as currency_code,
        cast(campaigns._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from campaigns
    where not coalesce(campaigns.is_deleted, false)
)

select * from final
