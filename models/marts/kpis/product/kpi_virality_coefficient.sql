{#
    Sign-ups of the month as a cohort (docs/kpis.md, "Precise readings"): the
    invites they sent up to the as-of date, and how many of those brought a
    live sign-up.  (invites / users) x (converted invites / invites) reduces
    to converted invites / users: null without sign-ups, 0 with sign-ups
    but no invites.
#}

with

app_users as (
    select * from {{ ref('int_app_users') }}
),

invites as (
    select * from {{ ref('stg_product__referral_invites') }}
),

invites_per_user as (
    select
        invites.inviter_user_id as user_id,
        count(*) as invites_sent,
        sum(case when invitees.user_id is not null then 1 else 0 end) as invites_converted
    from invites
    left join app_users as invitees
        on invites.invitee_user_id = invitees.user_id
    group by invites.inviter_user_id
),

units as (
    select
        app_users.signup_month as period_month,
        coalesce(invites_per_user.invites_converted, 0) as numerator,
        1 as denominator,
        coalesce(invites_per_user.invites_sent, 0) as invites_sent
    from app_users
    left join invites_per_user
        on app_users.user_id = invites_per_user.user_id
),

series as (
    {{ kpi_series('units', 'ratio', extra_sums=['invites_sent']) }}
),

final as (
    select
        period_month,
        dimension,
        dimension_value,
        value,
        numerator,
        denominator,
        invites_sent,
        invites_sent / nullif(denominator, 0) as invites_per_user,
        numerator / nullif(invites_sent, 0) as invite_conversion_rate,
        {{ kpi_is_mature('period_month') }} as is_mature
    from series
)

select * from final
