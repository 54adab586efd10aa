{#
    Sign-ups that met the PQL rule within the PQL window, by the month they
    met it (int_pql_users applies the pql_rules seed).
#}

with

pql_users as (
    select * from {{ ref('int_pql_users') }}
),

attribution as (
    select * from {{ ref('int_signup_attribution') }}
),

units as (
    select
        pql_users.pql_month as period_month,
        attribution.channel
    from pql_users
    left join attribution
        on pql_users.user_id = attribution.user_id
    where pql_users.is_pql
),

final as (
    {{ kpi_series('units', 'count', ['channel']) }}
)

select * from final
