{# crm_accounts from HubSpot's companies; an archived company (is_deleted) is a soft delete. #}
with

companies as (
    select * from {{ vendor_source('hubspot', 'company') }}
),

final as (
    select
        {{ hubspot_id('companies.id') }} as account_id,
        companies.property_name as name,  -- noqa: RF04
        companies.property_domain as domain,  -- noqa: RF04
        companies.property_industry as industry,
        cast(companies.property_numberofemployees as {{ dbt.type_int() }}) as employee_count,
        companies.property_country as country_code,
        cast(companies.property_createdate as {{ dbt.type_timestamp() }}) as created_at,
        coalesce(cast(companies.is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast(companies._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from companies
)

select * from final
