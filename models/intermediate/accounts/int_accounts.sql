{#
    Every account a KPI can name: one row per live CRM account, plus each
    account id seen in billing (subscriptions or invoices) that no live CRM
    account has, usually a product workspace.  Those have no firmographics
    and segment 'unknown' (customer_segmentation).  A CRM account that was
    soft-deleted keeps no firmographics here, but its billing id stays, since
    its invoices still count as revenue.  dim_accounts publishes it;
    int_account_icp_fit judges it against the ideal customer profile.

    Segment thresholds are vars: segment_mid_market_min_employees and
    segment_enterprise_min_employees.
#}

with

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
    where not is_deleted
),

subscriptions as (
    select * from {{ ref('int_subscriptions') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

billing_account_ids as (
    select subscriptions.account_id from subscriptions
    where subscriptions.account_id is not null
    union
    select invoices.account_id from invoices
    where invoices.account_id is not null
),

billing_only_accounts as (
    select billing_account_ids.account_id
    from billing_account_ids
    left join crm_accounts
        on billing_account_ids.account_id = crm_accounts.account_id
    where crm_accounts.account_id is null
),

all_accounts as (
    select
        crm_accounts.account_id,
        crm_accounts.account_name,
        crm_accounts.account_domain,
        crm_accounts.industry,
        crm_accounts.employee_count,
        crm_accounts.country_code,
        crm_accounts.created_at,
        true as is_crm_account
    {{ crm_passthrough('accounts', 'crm_accounts') }}
    from crm_accounts
    union all
    select
        billing_only_accounts.account_id,
        cast(null as {{ dbt.type_string() }}) as account_name,
        cast(null as {{ dbt.type_string() }}) as account_domain,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_int() }}) as employee_count,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        false as is_crm_account
    {{ crm_passthrough('accounts', none, mode='null') }}
    from billing_only_accounts
),

final as (
    select
        account_id,
        account_name,
        account_domain,
        industry,
        employee_count,
        country_code,
        created_at,
        is_crm_account,
        case
            when employee_count is null then 'unknown'
            when employee_count < {{ number_var('segment_mid_market_min_employees') }} then 'SMB'
            when employee_count < {{ number_var('segment_enterprise_min_employees') }} then 'Mid-Market'
            else 'Enterprise'
        end as segment
    {{ crm_passthrough('accounts', none) }}
    from all_accounts
)

select * from final
