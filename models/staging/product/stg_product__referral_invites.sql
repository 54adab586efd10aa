with

base as (
    select * from {{ ref('base_product__referral_invites') }}
    where row_disposition = 'staged'
),

final as (
    select
        invite_id,
        inviter_user_id,
        invitee_email_normalized,
        invitee_email_hash,
        sent_at,
        accepted_at,
        invitee_user_id,
        is_invitee_email_malformed,
        is_accepted_at_invalid,
        _loaded_at
    from base
)

select * from final
