{#
    Share of human sessions with at least one human conversion event
    (form_submit, demo_request, signup), by the month the session started and
    by its landing page: the path of its first event (docs/kpis.md, "Sessions").
    A session converts once however many conversions it has.
#}

with

sessions as (
    select * from {{ ref('int_web__sessions') }}
),

units as (
    select
        sessions.session_month as period_month,
        sessions.landing_page_path as landing_page,
        case when sessions.has_conversion then 1 else 0 end as numerator,
        1 as denominator
    from sessions
),

final as (
    {{ kpi_series('units', 'ratio', ['landing_page']) }}
)

select * from final
