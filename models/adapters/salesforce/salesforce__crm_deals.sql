{%- set text = raw_sql_type('varchar') -%}

with opportunities as (
    select * from {{ vendor_source('salesforce', 'opportunity') }}
    where {{ salesforce_is_current('opportunity') }}
),

leads as (
    select * from {{ vendor_source('salesforce', 'lead') }}
    where {{ salesforce_is_current('lead') }}
),

originating_leads as (
    -- converting a lead creates the opportunity: the lead that names it originated it
    select
        leads.converted_opportunity_id as opportunity_id,
        min(leads.id) as lead_id
    from leads
    where leads.converted_opportunity_id is not null
    group by leads.converted_opportunity_id
),

final as (
    select
        cast(opportunities.id as {{ text }}) as deal_id,
        cast(originating_leads.lead_id as {{ text }}) as lead_id,
        cast(opportunities.account_id as {{ text }}) as account_id,
        cast(opportunities.owner_id as {{ text }}) as owner_id,
        cast(opportunities.name as {{ text }}) as deal_name,
        cast(replace(lower(trim(opportunities.type)), ' ', '_') as {{ text }}) as deal_type,
        cast(opportunities.created_date as {{ raw_sql_type('timestamp') }}) as created_at,
        cast(replace(lower(trim(opportunities.stage_name)), ' ', '_') as {{ text }}) as stage,  -- noqa: RF04
        cast(opportunities.amount as {{ raw_sql_type('decimal(18,2)') }}) as amount,
        cast(opportunities.currency_iso_code as {{ text }}) as currency_code,
        -- Salesforce keeps one close date: expected while open, actual once closed
        cast(opportunities.close_date as date) as expected_close_date,
        -- the moment of closing is the last stage change of a closed opportunity
        -- (close_date is only a day)
        cast(
            case when opportunities.is_closed then opportunities.last_stage_change_date end
            as {{ raw_sql_type('timestamp') }}
        ) as closed_at,
        cast(opportunities.is_deleted as {{ raw_sql_type('boolean') }}) as is_deleted,
        cast(opportunities._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from opportunities
    left join originating_leads
        on opportunities.id = originating_leads.opportunity_id
)

select * from final
