{%- set text = raw_sql_type('varchar') -%}

with accounts as (
    select * from {{ vendor_source('salesforce', 'account') }}
),

final as (
    -- a deleted account keeps its row with is_deleted: staging counts it and the marts leave it out
    select
        cast(accounts.id as {{ text }}) as account_id,
        cast(accounts.name as {{ text }}) as name,  -- noqa: RF04
        cast(accounts.website as {{ text }}) as domain,  -- noqa: RF04
        cast(accounts.industry as {{ text }}) as industry,
        cast(accounts.number_of_employees as {{ raw_sql_type('integer') }}) as employee_count,
        cast(accounts.billing_country_code as {{ text }}) as country_code,
        cast(accounts.created_date as {{ raw_sql_type('timestamp') }}) as created_at,
        cast(accounts.is_deleted as {{ raw_sql_type('boolean') }}) as is_deleted,
        cast(accounts._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from accounts
)

select * from final
