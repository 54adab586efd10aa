with

base as (
    select * from {{ ref('base_product__app_users') }}
    where row_disposition = 'staged'
),

final as (
    select
        user_id,
        account_id,
        email_normalized,
        email_hash,
        signed_up_at,
        utm_source,
        utm_medium,
        utm_campaign,
        referred_by_user_id,
        referral_invite_id,
        is_email_malformed,
        is_deleted,
        _loaded_at
    from base
)

select * from final
