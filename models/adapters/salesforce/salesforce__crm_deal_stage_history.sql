{%- set text = raw_sql_type('varchar') -%}

with opportunity_history as (
    select * from {{ vendor_source('salesforce', 'opportunity_history') }}
),

final as (
    -- one row each time an opportunity enters a stage, with the amount then
    select
        cast(opportunity_history.opportunity_id as {{ text }}) as deal_id,
        cast(replace(lower(trim(opportunity_history.stage_name)), ' ', '_') as {{ text }}) as stage,  -- noqa: RF04
        cast(opportunity_history.created_date as {{ raw_sql_type('timestamp') }}) as entered_at,
        cast(opportunity_history.amount as {{ raw_sql_type('decimal(18,2)') }}) as amount,
        cast(opportunity_history.currency_iso_code as {{ text }}) as currency_code,
        cast(opportunity_history._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from opportunity_history
    where not coalesce(opportunity_history.is_deleted, false)
)

select * from final
