{#
    Leads and product sign-ups that are the same person: their normalised
    emails match (docs/raw_contract.md, app_users).  Matched on the email hash so
    no address travels further.  A person can have several leads and one
    sign-up, or the other way round: one row per pair.
#}

with

leads as (
    select
        lead_id,
        email_hash,
        created_at
    from {{ ref('int_leads') }}
    where email_hash is not null
),

app_users as (
    select
        user_id,
        account_id,
        email_hash,
        signed_up_at
    from {{ ref('int_app_users') }}
    where email_hash is not null
),

final as (
    select
        leads.lead_id,
        app_users.user_id,
        app_users.account_id as user_account_id,
        leads.email_hash,
        leads.created_at as lead_created_at,
        app_users.signed_up_at,
        app_users.signed_up_at <= leads.created_at as signed_up_before_lead
    from leads
    inner join app_users
        on leads.email_hash = app_users.email_hash
)

select * from final
