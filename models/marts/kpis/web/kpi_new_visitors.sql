{#
    Visitors whose first human session ever started in the month, under the
    channel of that first session.  Each visitor has exactly one first
    session, so the channel rows add up to the overall row.  Bot-only
    sessions do not make a visitor "seen" (int_web__sessions.is_first_session).
#}

with

sessions as (
    select * from {{ ref('int_web__sessions') }}
),

units as (
    select
        sessions.session_month as period_month,
        sessions.channel
    from sessions
    where sessions.is_first_session
),

final as (
    {{ kpi_series('units', 'count', ['channel']) }}
)

select * from final
