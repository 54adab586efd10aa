with

source as (
    select landed.* from {{ raw_table('crm', 'crm_users') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.user_id') }} as user_id,
        {{ clean_text('source.full_name') }} as full_name,
        {{ normalized_email('source.email') }} as email_normalized,
        {{ email_hash('source.email') }} as email_hash,
        {{ is_email_malformed('source.email') }} as is_email_malformed,
        {{ clean_code('source.team') }} as team,
        {{ clean_text('source.region') }} as region,
        -- not coalesced: the contract gives no default for a missing is_active
        cast(source.is_active as boolean) as is_active,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{#- no defining timestamp: only the key is checked -#}
{{ base_labels(
    source_name='crm',
    table_name='crm_users',
    checks=[],
) }}
