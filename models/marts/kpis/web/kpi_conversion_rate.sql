{#
    Of the visitors with a campaign session in the month (a human session
    whose landing URL carries a utm_campaign), the share with a campaign
    session that contains a human conversion event.  Visitors, not sessions:
    a visitor counts once per month however many campaign sessions it had,
    and converts if any of them converted.

    The campaign breakdown is campaign_id when the utm_campaign matches a
    known campaign (the key every other campaign breakdown uses, so rows can
    be set beside cost_per_lead or open_rate), else the lower-case
    utm_campaign itself.  A visitor counts under each campaign it came from
    and converts there only through a session of that campaign, so campaign
    rows need not add up to the overall row; overall and campaign figures are
    therefore computed from separate units and stacked.
#}

with

sessions as (
    select * from {{ ref('int_web__sessions') }}
),

campaign_sessions as (
    select
        sessions.session_month as period_month,
        sessions.anonymous_id,
        coalesce(sessions.campaign_id, lower(sessions.utm_campaign)) as campaign,
        case when sessions.has_conversion then 1 else 0 end as is_converting
    from sessions
    where sessions.utm_campaign is not null
),

visitor_units as (
    select
        campaign_sessions.period_month,
        campaign_sessions.anonymous_id,
        max(campaign_sessions.is_converting) as numerator,
        1 as denominator
    from campaign_sessions
    group by
        campaign_sessions.period_month,
        campaign_sessions.anonymous_id
),

visitor_campaign_units as (
    select
        campaign_sessions.period_month,
        campaign_sessions.anonymous_id,
        campaign_sessions.campaign,
        max(campaign_sessions.is_converting) as numerator,
        1 as denominator
    from campaign_sessions
    group by
        campaign_sessions.period_month,
        campaign_sessions.anonymous_id,
        campaign_sessions.campaign
),

overall_series as (
    {{ kpi_series('visitor_units', 'ratio') }}
),

campaign_series as (
    {{ kpi_series('visitor_campaign_units', 'ratio', ['campaign']) }}
),

final as (
    select
        overall_series.period_month,
        overall_series.dimension,
        overall_series.dimension_value,
        overall_series.value,
        overall_series.numerator,
        overall_series.denominator
    from overall_series
    union all
    -- campaign_series also has overall rows, counted per campaign: drop them
    select
        campaign_series.period_month,
        campaign_series.dimension,
        campaign_series.dimension_value,
        campaign_series.value,
        campaign_series.numerator,
        campaign_series.denominator
    from campaign_series
    where campaign_series.dimension = 'campaign'
)

select * from final
