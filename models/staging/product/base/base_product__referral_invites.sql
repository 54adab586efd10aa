with

source as (
    select landed.* from {{ raw_table('product', 'referral_invites') }} as landed
),

cleaned as (
    select
        {{ clean_text('source.invite_id') }} as invite_id,
        {{ clean_text('source.inviter_user_id') }} as inviter_user_id,
        {{ normalized_email('source.invitee_email') }} as invitee_email_normalized,
        {{ email_hash('source.invitee_email') }} as invitee_email_hash,
        {{ is_email_malformed('source.invitee_email') }} as is_invitee_email_malformed,
        cast(source.sent_at as {{ dbt.type_timestamp() }}) as sent_at,
        {{ valid_timestamp('source.accepted_at') }} as accepted_at,
        {{ is_timestamp_invalid('source.accepted_at') }} as is_accepted_at_invalid,
        {{ clean_text('source.invitee_user_id') }} as invitee_user_id,
        cast(source._loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ row_as_json('source') }} as raw_row
    from source
),

{{ base_labels(
    source_name='product',
    table_name='referral_invites',
    checks=event_time_checks('sent_at'),
) }}
