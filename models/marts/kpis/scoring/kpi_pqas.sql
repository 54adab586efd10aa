{#
    Accounts whose product qualified users first reached pqa_min_pql_users,
    by the month that happened (int_pqa_accounts).
#}

with

pqa_accounts as (
    select * from {{ ref('int_pqa_accounts') }}
),

units as (
    select pqa_month as period_month
    from pqa_accounts
),

final as (
    {{ kpi_series('units', 'count') }}
)

select * from final
