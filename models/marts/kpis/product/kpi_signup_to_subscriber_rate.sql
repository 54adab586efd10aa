{#
    Sign-ups by their month; converted when a subscription of the sign-up's
    account started paying at or after the sign-up (docs/kpis.md, "Precise
    readings").  A sign-up without an account cannot convert.
#}

with

app_users as (
    select * from {{ ref('int_app_users') }}
),

attribution as (
    select * from {{ ref('int_signup_attribution') }}
),

subscriptions as (
    select * from {{ ref('int_subscriptions') }}
),

converted_users as (
    select distinct app_users.user_id
    from app_users
    inner join subscriptions
        on
            app_users.account_id = subscriptions.account_id
            and app_users.signed_up_at <= subscriptions.paid_started_at
),

units as (
    select
        app_users.signup_month as period_month,
        attribution.channel,
        case when converted_users.user_id is not null then 1 else 0 end as numerator,
        1 as denominator
    from app_users
    inner join attribution
        on app_users.user_id = attribution.user_id
    left join converted_users
        on app_users.user_id = converted_users.user_id
),

final as (
    {{ kpi_cohort_series('units', ['channel']) }}
)

select * from final
