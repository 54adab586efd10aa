{#
    The product sign-ups that count: staged, not soft-deleted, not internal
    test records.
#}

with

app_users as (
    select * from {{ ref('stg_product__app_users') }}
),

internal_domains as (
    select domain from {{ ref('internal_email_domains') }}
),

final as (
    select
        app_users.user_id,
        app_users.account_id,
        app_users.email_hash,
        app_users.email_normalized,
        app_users.signed_up_at,
        {{ month_of('app_users.signed_up_at') }} as signup_month,
        app_users.utm_source,
        app_users.utm_medium,
        app_users.utm_campaign,
        app_users.referred_by_user_id,
        app_users.referral_invite_id
    from app_users
    where
        not app_users.is_deleted
        and not exists (
            select 1
            from internal_domains
            where app_users.email_normalized like '%@' || internal_domains.domain
        )
)

select * from final
