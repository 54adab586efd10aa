{#
    One row per (live lead, engagement rule that fired): the behavioural half
    of the lead score.  Every source is first reduced to "signal units" (a
    web conversion event, an email campaign, a CRM activity, a product user)
    so one window filter and one cap apply to all of them alike.
#}

with

leads as (
    select * from {{ ref('int_leads') }}
),

rules as (
    select * from {{ ref('lead_scoring_rules') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

email_events as (
    select * from {{ ref('stg_email__events') }}
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
),

pql_users as (
    select * from {{ ref('int_pql_users') }}
),

web_signals as (
    -- bots never count as engagement, as they count in no web KPI
    select
        web_events.lead_id,
        web_events.event_type as signal_name,
        web_events.event_id as unit_key,
        web_events.occurred_at
    from web_events
    where
        web_events.lead_id is not null
        and not web_events.is_bot
        and web_events.event_type in ('demo_request', 'form_submit')
),

email_signals as (
    -- the unit is the campaign: opening one email five times is one open
    select
        email_events.lead_id,
        'email_' || email_events.event_type as signal_name,
        coalesce(email_events.campaign_id, email_events.event_id) as unit_key,
        email_events.occurred_at
    from email_events
    where
        email_events.lead_id is not null
        and email_events.event_type in ('opened', 'clicked', 'unsubscribed')
),

activity_signals as (
    select
        activities.lead_id,
        'inbound_reply' as signal_name,
        activities.activity_id as unit_key,
        activities.occurred_at
    from activities
    where
        activities.lead_id is not null
        and (activities.direction = 'inbound' or activities.outcome = 'replied')

    union all

    select
        activities.lead_id,
        'meeting_attended' as signal_name,
        activities.activity_id as unit_key,
        activities.occurred_at
    from activities
    where
        activities.lead_id is not null
        and activities.activity_type = 'meeting'
        and activities.outcome = 'attended'
),

product_signals as (
    -- the same person in the product: matched on the email hash only
    select
        leads.lead_id,
        'product_signup' as signal_name,
        pql_users.user_id as unit_key,
        pql_users.signed_up_at as occurred_at
    from leads
    inner join pql_users
        on leads.email_hash = pql_users.email_hash

    union all

    select
        leads.lead_id,
        'product_qualified' as signal_name,
        pql_users.user_id as unit_key,
        pql_users.became_pql_at as occurred_at
    from leads
    inner join pql_users
        on leads.email_hash = pql_users.email_hash
    where pql_users.is_pql
),

signal_units as (
    select
        web_signals.lead_id,
        web_signals.signal_name,
        web_signals.unit_key,
        web_signals.occurred_at
    from web_signals
    union all
    select
        email_signals.lead_id,
        email_signals.signal_name,
        email_signals.unit_key,
        email_signals.occurred_at
    from email_signals
    union all
    select
        activity_signals.lead_id,
        activity_signals.signal_name,
        activity_signals.unit_key,
        activity_signals.occurred_at
    from activity_signals
    union all
    select
        product_signals.lead_id,
        product_signals.signal_name,
        product_signals.unit_key,
        product_signals.occurred_at
    from product_signals
),

windowed_counts as (
    -- both ends of the window are in; a soft-deleted lead's signals drop out
    -- with the join to live leads
    select
        signal_units.lead_id,
        rules.rule_id,
        count(distinct signal_units.unit_key) as signal_count,
        min(signal_units.occurred_at) as first_signal_at
    from signal_units
    inner join leads
        on signal_units.lead_id = leads.lead_id
    inner join rules
        on signal_units.signal_name = rules.signal_name
    where
        signal_units.occurred_at
        <= {{ dbt.dateadd('day', number_var('lead_score_engagement_days'), 'leads.created_at') }}
        and (rules.counts_before_creation or signal_units.occurred_at >= leads.created_at)
    group by
        signal_units.lead_id,
        rules.rule_id
),

final as (
    select
        windowed_counts.lead_id,
        windowed_counts.rule_id,
        rules.signal_name,
        windowed_counts.signal_count,
        windowed_counts.first_signal_at,
        rules.points * windowed_counts.signal_count as uncapped_points,
        -- the cap bounds what a rule adds, or for a negative rule takes away
        case
            when rules.points >= 0
                then least(rules.points * windowed_counts.signal_count, rules.max_points)
            else greatest(rules.points * windowed_counts.signal_count, -rules.max_points)
        end as points
    from windowed_counts
    inner join rules
        on windowed_counts.rule_id = rules.rule_id
)

select * from final
