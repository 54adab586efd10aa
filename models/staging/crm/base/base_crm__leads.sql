with

source as (
    select landed.* from {{ raw_table('crm', 'crm_leads') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.lead_id') }} as lead_id,
        cast(source.created_at as {{ dbt.type_timestamp() }}) as created_at,
        {{ valid_timestamp('source.updated_at') }} as updated_at,
        {{ is_timestamp_invalid('source.updated_at') }} as is_updated_at_invalid,
        {{ normalized_email('source.email') }} as email_normalized,
        {{ email_hash('source.email') }} as email_hash,
        {{ is_email_malformed('source.email') }} as is_email_malformed,
        {{ clean_text('source.first_name') }} as first_name,
        {{ clean_text('source.last_name') }} as last_name,
        {{ clean_text('source.job_title') }} as job_title,
        {{ clean_text('source.company_name') }} as company_name,
        {{ clean_code('source.company_domain') }} as company_domain,
        {{ clean_text('source.account_id') }} as account_id,
        {{ clean_upper_code('source.country_code') }} as country_code,
        {{ clean_text('source.industry') }} as industry,
        {{ number_or_null('source.employee_count', 'integer', '2147483648') }} as employee_count,
        {{ canonical_code('lead_source', 'source.lead_source') }} as lead_source,
        {{ clean_code('source.utm_source') }} as utm_source,
        {{ clean_code('source.utm_medium') }} as utm_medium,
        {{ clean_code('source.utm_campaign') }} as utm_campaign,
        {{ clean_text('source.referred_by_user_id') }} as referred_by_user_id,
        {{ clean_text('source.owner_id') }} as owner_id,
        coalesce(cast(source.is_deleted as boolean), false) as is_deleted,
        {{ numeric_fault(numbers=['source.employee_count']) }} as numeric_fault,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    {{ crm_passthrough('leads', 'source', mode='raw') }}
    from source
),

{{ base_labels(
    source_name='crm',
    table_name='crm_leads',
    checks=event_time_checks('created_at') + numeric_fault_checks(),
) }}
