{#
    Visits by people: every session with at least one human event, in the
    month it started (docs/kpis.md, "Sessions").  int_web__sessions already drops
    bot-only sessions, so a session here is a human visit.
#}

with

sessions as (
    select * from {{ ref('int_web__sessions') }}
),

units as (
    select
        sessions.session_month as period_month,
        sessions.channel,
        sessions.device_type
    from sessions
),

final as (
    {{ kpi_series('units', 'count', ['channel', 'device_type']) }}
)

select * from final
