{%- set text = raw_sql_type('varchar') -%}

with lead_history as (
    select * from {{ vendor_source('salesforce', 'lead_history') }}
),

status_changes as (
    -- the lifecycle stage is the lead Status: each change of it is a stage change
    select *
    from lead_history
    where
        lower(field) = 'status'
        and not coalesce(is_deleted, false)
),

final as (
    select
        cast(status_changes.id as {{ text }}) as change_id,
        cast(status_changes.lead_id as {{ text }}) as lead_id,
        cast(
            case lower(trim(status_changes.new_value))
                when 'new' then 'lead'
                when 'marketing qualified' then 'mql'
                when 'sales qualified' then 'sql'
                else replace(lower(trim(status_changes.new_value)), ' ', '_')
            end as {{ text }}
        ) as stage,  -- noqa: RF04
        cast(status_changes.created_date as {{ raw_sql_type('timestamp') }}) as changed_at,
        cast(status_changes._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from status_changes
)

select * from final
