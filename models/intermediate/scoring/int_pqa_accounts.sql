{#
    One row per account that became a Product Qualified Account (docs/kpis.md,
    pqas): the moment its var pqa_min_pql_users-th user became a PQL.
    Sign-ups without an account belong to no account and never count.
#}

with

pql_users as (
    select * from {{ ref('int_pql_users') }}
),

ranked_pql_users as (
    -- two users qualifying at the same instant: the lower user_id is first
    select
        pql_users.account_id,
        pql_users.user_id,
        pql_users.became_pql_at,
        row_number() over (
            partition by pql_users.account_id
            order by pql_users.became_pql_at, pql_users.user_id
        ) as pql_user_number,
        count(*) over (partition by pql_users.account_id) as pql_users
    from pql_users
    where
        pql_users.is_pql
        and pql_users.account_id is not null
),

final as (
    select
        ranked_pql_users.account_id,
        ranked_pql_users.became_pql_at as became_pqa_at,
        {{ month_of('ranked_pql_users.became_pql_at') }} as pqa_month,
        ranked_pql_users.user_id as qualifying_user_id,
        ranked_pql_users.pql_users
    from ranked_pql_users
    where ranked_pql_users.pql_user_number = {{ number_var('pqa_min_pql_users') }}
)

select * from final
