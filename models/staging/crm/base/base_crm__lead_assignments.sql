with

source as (
    select landed.* from {{ raw_table('crm', 'crm_lead_assignments') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.assignment_id') }} as assignment_id,
        {{ clean_text('source.lead_id') }} as lead_id,
        {{ clean_text('source.owner_id') }} as owner_id,
        cast(source.assigned_at as {{ dbt.type_timestamp() }}) as assigned_at,
        {{ clean_code('source.rule') }} as assignment_rule,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{{ base_labels(
    source_name='crm',
    table_name='crm_lead_assignments',
    checks=event_time_checks('assigned_at'),
) }}
