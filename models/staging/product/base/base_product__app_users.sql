with

source as (
    select landed.* from {{ raw_table('product', 'app_users') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.user_id') }} as user_id,
        {{ clean_text('source.account_id') }} as account_id,
        {{ normalized_email('source.email') }} as email_normalized,
        {{ email_hash('source.email') }} as email_hash,
        {{ is_email_malformed('source.email') }} as is_email_malformed,
        cast(source.signed_up_at as {{ dbt.type_timestamp() }}) as signed_up_at,
        {{ clean_code('source.utm_source') }} as utm_source,
        {{ clean_code('source.utm_medium') }} as utm_medium,
        {{ clean_code('source.utm_campaign') }} as utm_campaign,
        {{ clean_text('source.referred_by_user_id') }} as referred_by_user_id,
        {{ clean_text('source.referral_invite_id') }} as referral_invite_id,
        coalesce(cast(source.is_deleted as boolean), false) as is_deleted,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{{ base_labels(
    source_name='product',
    table_name='app_users',
    checks=event_time_checks('signed_up_at'),
) }}
