{#
    Distinct visitors (anonymous_id) with a human session in the month.

    A visitor counts once overall but under every channel it arrived from in
    the month, so the channel rows can add up to more than the overall row.
    That is why the overall and the channel figures are counted from two
    different sets of units (visitor-month and visitor-channel-month) and
    then stacked.
#}

with

sessions as (
    select * from {{ ref('int_web__sessions') }}
),

visitor_months as (
    select distinct
        sessions.session_month as period_month,
        sessions.anonymous_id
    from sessions
),

visitor_channel_months as (
    select distinct
        sessions.session_month as period_month,
        sessions.anonymous_id,
        sessions.channel
    from sessions
),

overall_series as (
    {{ kpi_series('visitor_months', 'count') }}
),

channel_series as (
    {{ kpi_series('visitor_channel_months', 'count', ['channel']) }}
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
    -- channel_series also has overall rows, counted per channel: drop them
    select
        channel_series.period_month,
        channel_series.dimension,
        channel_series.dimension_value,
        channel_series.value,
        channel_series.numerator,
        channel_series.denominator
    from channel_series
    where channel_series.dimension = 'channel'
)

select * from final
