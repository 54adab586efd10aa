{#
    A sign-up's visitor: the anonymous_id of the signup event that carries
    the user's id (the earliest, should the tracker have sent it twice).
#}

with

app_users as (
    select user_id from {{ ref('int_app_users') }}
),

signup_events as (
    select
        events.user_id,
        events.anonymous_id,
        events.occurred_at,
        events.event_id,
        row_number() over (
            partition by events.user_id order by events.occurred_at, events.event_id
        ) as event_rank
    from {{ ref('stg_web__events') }} as events
    where
        events.event_type = 'signup'
        and events.user_id is not null
        and events.anonymous_id is not null
),

final as (
    select
        app_users.user_id,
        signup_events.anonymous_id,
        signup_events.occurred_at as signed_up_on_web_at,
        signup_events.event_id as signup_event_id
    from app_users
    inner join signup_events
        on app_users.user_id = signup_events.user_id and signup_events.event_rank = 1
)

select * from final
