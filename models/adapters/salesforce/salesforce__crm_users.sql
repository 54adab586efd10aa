{%- set text = raw_sql_type('varchar') -%}

with users as (
    select * from {{ vendor_source('salesforce', 'user') }}
),

final as (
    -- Salesforce never deletes a user, it deactivates one: is_active says it all.
    -- The team is the user's department (SDR, AE, CSM, Marketing); the region its division.
    select
        cast(users.id as {{ text }}) as user_id,
        cast(users.name as {{ text }}) as full_name,
        cast(users.email as {{ text }}) as email,
        cast(lower(trim(users.department)) as {{ text }}) as team,
        cast(users.division as {{ text }}) as region,
        cast(users.is_active as {{ raw_sql_type('boolean') }}) as is_active,
        cast(users._fivetran_synced as {{ raw_sql_type('timestamp') }}) as _loaded_at
    from users
)

select * from final
