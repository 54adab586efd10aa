with

app_users as (
    select * from {{ ref('int_app_users') }}
),

attribution as (
    select * from {{ ref('int_signup_attribution') }}
),

units as (
    select
        app_users.signup_month as period_month,
        attribution.channel
    from app_users
    inner join attribution
        on app_users.user_id = attribution.user_id
),

final as (
    {{ kpi_series('units', 'count', ['channel']) }}
)

select * from final
