{#
    First-touch attribution of every live sign-up, read like a lead's: the
    UTM parameters captured at sign-up unless all three are missing, then
    the first human session of the sign-up's visitor.
#}

with

app_users as (
    select
        user_id,
        lower(utm_source) as utm_source,
        lower(utm_medium) as utm_medium,
        lower(utm_campaign) as utm_campaign,
        -- the sign-up's own tags win unless all three are missing
        coalesce(utm_source, utm_medium, utm_campaign) is not null as has_own_utm
    from {{ ref('int_app_users') }}
),

visitors as (
    select * from {{ ref('int_user_visitors') }}
),

first_sessions as (
    select * from {{ ref('int_web__sessions') }}
    where is_first_session
),

campaigns as (
    select
        utm_campaign,
        min(campaign_id) as campaign_id
    from {{ ref('stg_marketing__campaigns') }}
    where utm_campaign is not null
    group by utm_campaign
),

touch_values as (
    select
        app_users.user_id,
        cast(null as {{ dbt.type_string() }}) as lead_source,
        case
            when app_users.has_own_utm then 'signup_utm'
            when first_sessions.session_key is not null then 'first_session'
            else 'none'
        end as touch_source,
        first_sessions.session_key as first_session_key,
        case
            when app_users.has_own_utm
                then app_users.utm_source
            else first_sessions.utm_source
        end as utm_source,
        case
            when app_users.has_own_utm
                then app_users.utm_medium
            else first_sessions.utm_medium
        end as utm_medium,
        case
            when app_users.has_own_utm
                then app_users.utm_campaign
            else first_sessions.utm_campaign
        end as utm_campaign,
        case when not app_users.has_own_utm then first_sessions.referrer_host end as referrer_host
    from app_users
    left join visitors
        on app_users.user_id = visitors.user_id
    left join first_sessions
        on visitors.anonymous_id = first_sessions.anonymous_id
),

channels as (
    {{ assign_channel('touch_values', 'user_id') }}
),

final as (
    select
        touch_values.user_id,
        touch_values.touch_source,
        touch_values.first_session_key,
        touch_values.utm_source,
        touch_values.utm_medium,
        touch_values.utm_campaign,
        touch_values.referrer_host,
        channels.channel,
        campaigns.campaign_id
    from touch_values
    inner join channels
        on touch_values.user_id = channels.user_id
    left join campaigns
        on touch_values.utm_campaign = campaigns.utm_campaign
)

select * from final
