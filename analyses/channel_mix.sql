{#
    Channel mix: in each month, how many website sessions, leads and product
    sign-ups did each channel bring, and what share of the month's total is
    that?

    One row per (month, channel) with at least one session, lead or sign-up.
    Sessions are the human sessions of the website_traffic KPI and sign-ups
    the live sign-ups of monthly_signups, both by channel (marts.kpi_monthly);
    leads are the live leads of dim_leads by creation month.  Each share is
    of the month's total over all channels, so the shares of a month add up
    to 1 (null when the month has none of that thing).
#}

with

kpis as (
    select * from {{ ref('kpi_monthly') }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

sessions as (
    select
        kpis.period_month,
        kpis.dimension_value as channel,
        kpis.value as sessions
    from kpis
    where kpis.kpi_id = 'website_traffic' and kpis.dimension = 'channel'
),

signups as (
    select
        kpis.period_month,
        kpis.dimension_value as channel,
        kpis.value as signups
    from kpis
    where kpis.kpi_id = 'monthly_signups' and kpis.dimension = 'channel'
),

lead_counts as (
    select
        leads.created_month as period_month,
        leads.channel,
        count(*) as leads
    from leads
    group by leads.created_month, leads.channel
),

month_channels as (
    select
        sessions.period_month,
        sessions.channel
    from sessions
    union
    select
        signups.period_month,
        signups.channel
    from signups
    union
    select
        lead_counts.period_month,
        lead_counts.channel
    from lead_counts
),

mix as (
    select
        month_channels.period_month,
        month_channels.channel,
        coalesce(sessions.sessions, 0) as sessions,
        coalesce(lead_counts.leads, 0) as leads,
        coalesce(signups.signups, 0) as signups
    from month_channels
    left join sessions
        on
            month_channels.period_month = sessions.period_month
            and month_channels.channel = sessions.channel
    left join lead_counts
        on
            month_channels.period_month = lead_counts.period_month
            and month_channels.channel = lead_counts.channel
    left join signups
        on
            month_channels.period_month = signups.period_month
            and month_channels.channel = signups.channel
)

select
    mix.period_month,
    mix.channel,
    mix.sessions,
    mix.leads,
    mix.signups,
    mix.sessions * 1.0
    / nullif(sum(mix.sessions) over (partition by mix.period_month), 0) as sessions_share,
    mix.leads * 1.0
    / nullif(sum(mix.leads) over (partition by mix.period_month), 0) as leads_share,
    mix.signups * 1.0
    / nullif(sum(mix.signups) over (partition by mix.period_month), 0) as signups_share
from mix
order by mix.period_month asc, mix.channel asc
