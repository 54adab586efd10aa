{#
    Referred sign-ups of the month (their referrer is a live sign-up): mean
    days from the referrer's sign-up to theirs.
#}

with

app_users as (
    select * from {{ ref('int_app_users') }}
),

units as (
    select
        referred.signup_month as period_month,
        {{ elapsed_seconds('referrers.signed_up_at', 'referred.signed_up_at') }} / 86400.0 as measure
    from app_users as referred
    inner join app_users as referrers
        on referred.referred_by_user_id = referrers.user_id
),

final as (
    {{ kpi_series('units', 'mean') }}
)

select * from final
