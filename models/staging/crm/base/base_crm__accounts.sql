with

source as (
    select landed.* from {{ raw_table('crm', 'crm_accounts') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.account_id') }} as account_id,
        {{ clean_text('source.name') }} as account_name,
        {{ clean_code('source.domain') }} as account_domain,
        {{ clean_text('source.industry') }} as industry,
        {{ number_or_null('source.employee_count', 'integer', '2147483648') }} as employee_count,
        {{ clean_upper_code('source.country_code') }} as country_code,
        cast(source.created_at as {{ dbt.type_timestamp() }}) as created_at,
        coalesce(cast(source.is_deleted as boolean), false) as is_deleted,
        {{ numeric_fault(numbers=['source.employee_count']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    {{ crm_passthrough('accounts', 'source', mode='raw') }}
    from source
),

{{ base_labels(
    source_name='crm',
    table_name='crm_accounts',
    checks=event_time_checks('created_at') + numeric_fault_checks(),
) }}
