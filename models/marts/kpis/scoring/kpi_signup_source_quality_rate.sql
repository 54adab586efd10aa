{#
    Sign-ups of the month that are quality: their account fits the ideal
    customer profile and they became PQL within the PQL window.  A cohort
    rate: a sign-up can still qualify until its window closes.
#}

with

pql_users as (
    select * from {{ ref('int_pql_users') }}
),

account_fit as (
    select * from {{ ref('int_account_icp_fit') }}
),

attribution as (
    select * from {{ ref('int_signup_attribution') }}
),

units as (
    select
        pql_users.signup_month as period_month,
        attribution.channel,
        case when pql_users.is_pql and coalesce(account_fit.is_icp_fit, false) then 1 else 0 end as numerator,
        1 as denominator
    from pql_users
    left join account_fit
        on pql_users.account_id = account_fit.account_id
    left join attribution
        on pql_users.user_id = attribution.user_id
),

final as (
    {{ kpi_cohort_series('units', ['channel']) }}
)

select * from final
