{#
    crm_users from HubSpot's owners.  An owner's team and region come from
    the name of the team it sits in ('<team> - <region>', this portal's
    convention): HubSpot has no region of its own.
#}
with

owners as (
    select * from {{ vendor_source('hubspot', 'owner') }}
),

team_users as (
    select * from {{ vendor_source('hubspot', 'team_user') }}
),

teams as (
    select * from {{ vendor_source('hubspot', 'team') }}
),

main_teams as (
    -- a user may sit in several teams; the main one (not secondary) places them, the first by name if several
    select
        {{ hubspot_id('team_users.user_id') }} as user_id,
        min(teams.name) as team_name
    from team_users
    inner join teams
        on {{ hubspot_id('team_users.team_id') }} = {{ hubspot_id('teams.id') }}
    where not coalesce(team_users.is_secondary_user, false)
    group by {{ hubspot_id('team_users.user_id') }}
),

final as (
    select
        {{ hubspot_id('owners.owner_id') }} as user_id,
        nullif(
            trim({{ dbt.concat(["coalesce(owners.first_name, '')", "' '", "coalesce(owners.last_name, '')"]) }}), ''
        ) as full_name,
        owners.email,
        lower(trim({{ dbt.split_part('main_teams.team_name', "' - '", 1) }})) as team,
        nullif(trim({{ dbt.split_part('main_teams.team_name', "' - '", 2) }}), '') as region,
        cast(owners.is_active as {{ dbt.type_boolean() }}) as is_active,
        cast(owners._fivetran_synced as {{ dbt.type_timestamp() }}) as _loaded_at
    from owners
    left join main_teams
        on {{ hubspot_id('owners.active_user_id') }} = main_teams.user_id
)

select * from final
